package io.lmcache.discovery.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Sends bytes a well-behaved client would not send, and reads whatever comes back until the server closes. */
final class RawHttp {
    /** What the server answered and whether it closed the connection afterwards. */
    record Reply(String text, boolean closed) {
        int status() {
            return Integer.parseInt(text.substring(9, 12));
        }

        String body() {
            int i = text.indexOf("\r\n\r\n");
            return i < 0 ? "" : text.substring(i + 4);
        }
    }

    private RawHttp() {
    }

    static Reply send(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
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
            } catch (IOException e) { // reset after the answer also means closed
                closed = true;
            }
            return new Reply(got.toString(StandardCharsets.ISO_8859_1), closed);
        }
    }
}
