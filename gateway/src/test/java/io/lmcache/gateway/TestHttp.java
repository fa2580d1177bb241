package io.lmcache.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Json;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Test helpers: a blocking JSON client over loopback and scripted fake servers. */
public final class TestHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private TestHttp() {
    }

    public record Reply(int status, String body) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    public static Reply get(int port, String path) {
        return send(HttpRequest.newBuilder(uri(port, path)).GET());
    }

    public static Reply post(int port, String path, String body) {
        return send(HttpRequest.newBuilder(uri(port, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static Reply send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = CLIENT.send(b.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A loopback server answering {@code router}'s routes (404 for everything else). */
    public static HttpServer fake(Router router) throws InterruptedException {
        return HttpServer.startLocal("fake", "127.0.0.1", 0, Transport.select("nio"), 1, HttpLimits.DEFAULTS, router);
    }

    /** A discovery answer listing {@code apiAddresses}, in the shape of reference §4. */
    public static String infos(String... apiAddresses) {
        StringBuilder entities = new StringBuilder();
        for (String a : apiAddresses) {
            if (entities.length() > 0) {
                entities.append(',');
            }
            entities.append("{\"apiAddress\":").append(Json.string(a)).append(",\"version\":\"1.0.0\"}");
        }
        return "{\"processInfos\":{\"127.0.0.1\":{\"count\":" + apiAddresses.length
                + ",\"lmCacheInfoEntities\":[" + entities + "]}}}";
    }
}
