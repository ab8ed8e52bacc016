package dev.sorabatch.simulator;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal HTTP/1.1 server on a loopback address, written for the simulator because faults must be real at the
 * socket level: a dropped connection must drop, and a cut body must end the stream (the JDK's built-in server
 * keeps such connections open, so a client would only see a time-out). Keep-alive, Content-Length and chunked
 * request bodies, HEAD.
 */
public final class LoopbackHttpServer implements AutoCloseable {

    /** What a request gets back. */
    public static final class Reply {
        public int status = 200;
        public final Map<String, String> headers = new LinkedHashMap<>();
        public byte[] body = new byte[0];
        /** Send the headers (with the full Content-Length) and only half the body, then close the connection. */
        public boolean truncate;
        /** Close the connection without answering at all. */
        public boolean drop;

        public Reply header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }

    public record Request(String method, String path, String rawQuery, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public interface Handler {
        Reply handle(Request request) throws Exception;
    }

    private static final int MAX_HEADER_LINE = 64 * 1024;

    private final Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private ExecutorService threads;

    LoopbackHttpServer(Handler handler) {
        this.handler = handler;
    }

    LoopbackHttpServer start(int port) {
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback port " + port, e);
        }
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sora-simulator");
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::acceptLoop);
        return this;
    }

    int port() {
        return server.getLocalPort();
    }

    String host() {
        return server.getInetAddress().getHostAddress();
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                // As real servers do: without it, Nagle's algorithm and delayed ACKs stall each multi-segment
                // answer by tens of milliseconds, and the simulator, not the client, would set the pace.
                socket.setTcpNoDelay(true);
                open.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            while (true) {
                Request request = read(in);
                if (request == null) {
                    return;
                }
                Reply reply;
                try {
                    reply = handler.handle(request);
                } catch (Exception e) {
                    reply = new Reply();
                    reply.status = 500;
                    reply.body = ("{\"error\":{\"code\":\"InternalServerError\",\"message\":\"simulator fault: "
                            + e.getClass().getSimpleName() + "\"}}").getBytes(StandardCharsets.UTF_8);
                    reply.header("Content-Type", "application/json");
                }
                if (reply.drop) {
                    return;
                }
                write(out, request, reply);
                if (reply.truncate || "close".equalsIgnoreCase(request.header("connection"))) {
                    return;
                }
            }
        } catch (SocketException | EOFException closed) {
            // the client went away
        } catch (IOException e) {
            // a broken connection ends that connection only
        } finally {
            open.remove(socket);
        }
    }

    private static Request read(InputStream in) throws IOException {
        String requestLine = line(in);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = line(in);
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length < 3) {
            throw new IOException("bad request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
            }
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in);
        } else {
            int length = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : 0;
            body = in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException();
            }
        }
        String target = parts[1];
        int q = target.indexOf('?');
        return new Request(parts[0].toUpperCase(Locale.ROOT), q < 0 ? target : target.substring(0, q),
                q < 0 ? null : target.substring(q + 1), headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                throw new EOFException();
            }
            int n = Integer.parseInt(size.split(";")[0].strip(), 16);
            if (n == 0) {
                while (true) {
                    String trailer = line(in);
                    if (trailer == null || trailer.isEmpty()) {
                        return body.toByteArray();
                    }
                }
            }
            body.write(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
            if (line.size() > MAX_HEADER_LINE) {
                throw new IOException("header line too long");
            }
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void write(OutputStream out, Request request, Reply reply) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(reply.status).append(' ')
                .append(reason(reply.status)).append("\r\n");
        List<String> names = new ArrayList<>();
        reply.headers.forEach((name, value) -> {
            names.add(name.toLowerCase(Locale.ROOT));
            head.append(name).append(": ").append(value).append("\r\n");
        });
        boolean noBody = reply.status == 204 || reply.status == 304 || request.method().equals("HEAD");
        if (!names.contains("content-length") && reply.status != 204) {
            head.append("Content-Length: ").append(reply.body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!noBody) {
            out.write(reply.body, 0, reply.truncate ? reply.body.length / 2 : reply.body.length);
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 410 -> "Gone";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
