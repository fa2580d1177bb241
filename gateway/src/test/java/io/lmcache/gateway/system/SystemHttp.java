package io.lmcache.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** HTTP as a user's client sends it ({@link HttpClient}, HTTP/1.1); raw bytes go through {@code RawHttp}. */
final class SystemHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    record Response(int status, String contentType, String body) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body);
        }
    }

    private SystemHttp() {
    }

    static Response get(int port, String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).GET());
    }

    static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
    }

    static JsonNode json(int port, String pathAndQuery) throws IOException, InterruptedException {
        return get(port, pathAndQuery).json();
    }
}
