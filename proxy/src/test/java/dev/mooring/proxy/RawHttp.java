package dev.mooring.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what a client library would not do: stop halfway through a request, send a body
 * slowly, or keep one connection on purpose.
 */
final class RawHttp {
    /** A response read whole (its body has a Content-Length). */
    record Response(String head, String body) {
        int status() {
            return Integer.parseInt(head.substring(9, 12));
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    static Socket open(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static Response read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed within a response head: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
        }
        Response headOnly = new Response(head.toString(StandardCharsets.US_ASCII), "");
        String length = headOnly.header("Content-Length");
        if (length == null) {
            throw new IOException("no Content-Length in " + headOnly.head());
        }
        byte[] body = in.readNBytes(Integer.parseInt(length));
        return new Response(headOnly.head(), new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the peer closed the connection, having sent nothing more. */
    static boolean closedByPeer(Socket socket) throws IOException {
        return socket.getInputStream().read() < 0;
    }

    /** One request on a connection of its own; everything the proxy sent until it closed the connection. */
    static String exchange(int port, String request) throws IOException {
        try (Socket socket = open(port)) {
            send(socket, request);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String metrics(MooringProxy proxy) throws IOException {
        return exchange(proxy.adminPort(), "GET /metrics HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\n\r\n");
    }

    static void awaitMetric(MooringProxy proxy, String line) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!metrics(proxy).contains(line + "\n")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the proxy never reported '" + line + "'");
            }
            Thread.sleep(20);
        }
    }
}
