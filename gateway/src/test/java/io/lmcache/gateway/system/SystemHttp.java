package io.lmcache.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmcache.common.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** HTTP as a user's client sends it ({@link HttpClient}, HTTP/1.1), plus raw bytes for requests no client would send. */
final class SystemHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final int RAW_READ_TIMEOUT_MILLIS = 15_000;

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

    /**
     * Writes {@code request} as is and reads until the server closes the connection (or the read times out), so a
     * test sees both the answer and whether the connection was closed after it.
     */
    static RawResponse raw(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(RAW_READ_TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            boolean closed;
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true; // reset by the server after its answer
            }
            return new RawResponse(got.toString(StandardCharsets.ISO_8859_1), closed);
        }
    }

    record RawResponse(String text, boolean closedByServer) {
        int status() {
            return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
        }

        String body() {
            int i = text.indexOf("\r\n\r\n");
            return i < 0 ? "" : text.substring(i + 4);
        }
    }
}
