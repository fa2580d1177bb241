package io.lmcache.benchmarks.proxy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The simplest possible keep-alive HTTP/1.1 client: one socket, one request at a time, the response read by its
 * Content-Length (or chunks). Its own cost is a few microseconds and the same for every target, so differences
 * between targets are the targets'.
 */
final class KeepAliveClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] sink = new byte[64 * 1024];

    KeepAliveClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends {@code request} and reads the whole response; returns the number of body bytes. */
    long exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String status = line();
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected status: " + status);
        }
        long length = -1;
        boolean chunked = false;
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            String name = l.substring(0, colon).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Long.parseLong(l.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                chunked = l.toLowerCase().contains("chunked");
            }
        }
        if (chunked) {
            long total = 0;
            for (long n; (n = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                skip(n);
                line();
                total += n;
            }
            while (!line().isEmpty()) {
                // trailers
            }
            return total;
        }
        skip(length);
        return length;
    }

    private void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            int k = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (k < 0) {
                throw new IOException("connection closed mid-body");
            }
            left -= k;
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
