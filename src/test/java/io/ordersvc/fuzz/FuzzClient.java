package io.ordersvc.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Sends a generated request to the service on loopback: with the JDK's HttpClient when it can
 * carry the request, else byte for byte over a socket (control characters in a header, a target
 * that is not a legal URI). A change stream that opens is closed at once.
 */
public final class FuzzClient {

    /**
     * What came back: a status (0 when nothing did), its media type, its {@code WWW-Authenticate}
     * challenge ("" when none), the first bytes of the body.
     */
    public record Outcome(int status, String contentType, String wwwAuthenticate, byte[] body, long nanos, String error,
            boolean raw) {
    }

    private static final int MAX_BODY = 256 * 1024;
    /** Longer targets pass the server's limit of the request line (4096): it answers 414 and closes. */
    private static final int LONGEST_TARGET = 4000;

    private final String host;
    private final int port;
    private final Duration timeout;
    private final HttpClient http;

    public FuzzClient(URI base, Duration timeout) {
        this.host = base.getHost();
        this.port = base.getPort();
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    public Outcome send(RequestFuzzer.Request request) {
        long t0 = System.nanoTime();
        URI uri = uri(request.target());
        boolean raw = uri == null || request.target().length() > LONGEST_TARGET
                || request.headers().stream().anyMatch(h -> !httpClientCarries(h.value()));
        try {
            return raw ? sendRaw(request, t0) : sendWithClient(request, uri, t0);
        } catch (IOException e) {
            // the JDK client may have taken a pooled connection that the server closed after its
            // previous answer: once more, on a connection of its own
            return sendRawOrNoAnswer(request, System.nanoTime());
        } catch (RuntimeException e) {
            return noAnswer(e, t0, raw);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, "", "", new byte[0], System.nanoTime() - t0, "interrupted", raw);
        }
    }

    private Outcome sendRawOrNoAnswer(RequestFuzzer.Request request, long t0) {
        try {
            return sendRaw(request, t0);
        } catch (IOException | RuntimeException e) {
            return noAnswer(e, t0, true);
        }
    }

    private static Outcome noAnswer(Exception e, long t0, boolean raw) {
        return new Outcome(0, "", "", new byte[0], System.nanoTime() - t0, e.getClass().getSimpleName() + ": " + e.getMessage(),
                raw);
    }

    private Outcome sendWithClient(RequestFuzzer.Request request, URI uri, long t0) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(h -> b.header(h.name(), h.value()));
        HttpResponse<InputStream> response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        String type = response.headers().firstValue("Content-Type").orElse("");
        byte[] body;
        try (InputStream in = response.body()) {
            body = streaming(response.statusCode(), type) ? new byte[0] : readAtMost(in, MAX_BODY);
        }
        return new Outcome(response.statusCode(), type, response.headers().firstValue("WWW-Authenticate").orElse(""), body,
                System.nanoTime() - t0, null, false);
    }

    private Outcome sendRaw(RequestFuzzer.Request request, long t0) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder();
            head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append(':').append(port).append("\r\n");
            request.headers().forEach(h -> head.append(h.name()).append(": ").append(h.value()).append("\r\n"));
            if (request.body() != null || !request.method().equals("GET")) {
                head.append("Content-Length: ").append(request.body() == null ? 0 : request.body().length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (request.body() != null) {
                out.write(request.body());
            }
            out.flush();
            return readRaw(socket.getInputStream(), t0);
        }
    }

    /** Status line, headers, and the body (de-chunked) of a response that ends with the connection. */
    private static Outcome readRaw(InputStream in, long t0) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            headBytes.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        if (lines.length == 0 || !lines[0].startsWith("HTTP/1.")) {
            return new Outcome(0, "", "", new byte[0], System.nanoTime() - t0, "no status line: " + headBytes.size() + " bytes",
                    true);
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String type = "";
        String challenge = "";
        boolean chunked = false;
        for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-type:")) {
                type = line.substring(13).strip();
            } else if (lower.startsWith("www-authenticate:")) {
                challenge = line.substring(17).strip();
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        byte[] body = streaming(status, type) ? new byte[0] : readAtMost(in, MAX_BODY);
        return new Outcome(status, type, challenge, chunked ? dechunk(body) : body, System.nanoTime() - t0, null, true);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < chunked.length) {
            int eol = indexOf(chunked, i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(new String(chunked, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, eol + 2, Math.min(size, chunked.length - eol - 2));
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean streaming(int status, String type) {
        return status == 200 && type.startsWith("text/event-stream");
    }

    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while (out.size() < max && (n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private URI uri(String target) {
        try {
            URI uri = new URI("http://" + host + ":" + port + target);
            // the JDK client would send a normalized or re-encoded form of some targets: send those as they are
            return uri.toASCIIString().equals("http://" + host + ":" + port + target) ? uri : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Whether the JDK client sends a header value as it is: it refuses control characters, and it
     * would send a byte past ASCII as '?'. Blank values go over the socket too, to be sure they arrive.
     */
    private static boolean httpClientCarries(String value) {
        if (value.isBlank()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
