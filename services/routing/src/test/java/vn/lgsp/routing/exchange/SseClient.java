package vn.lgsp.routing.exchange;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A plain text/event-stream reader over real HTTP, as an agency system would hold one open. */
final class SseClient implements AutoCloseable {

    /** One event: its id, name and data lines joined. */
    record Event(String id, String name, String data) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final HttpClient client = HttpClient.newHttpClient();
    private volatile Stream<String> lines;
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    SseClient(URI uri, String token, String lastEventId) {
        this(uri, java.util.Map.of("Authorization", "Bearer " + token), lastEventId);
    }

    /** With the given credentials: a bearer token, or an RFC 9421 signature's headers. */
    SseClient(URI uri, java.util.Map<String, String> credentials, String lastEventId) {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        credentials.forEach(req::header);
        if (lastEventId != null) {
            req.header("Last-Event-ID", lastEventId);
        }
        response = client.sendAsync(req.build(), HttpResponse.BodyHandlers.ofLines());
        // Read on a thread of its own: the client's completion threads must never block on the endless body.
        Thread reader = new Thread(() -> {
            HttpResponse<Stream<String>> r;
            try {
                r = response.get();
            } catch (Exception e) {
                return;
            }
            lines = r.body();
            String[] current = { null, null, null };
            StringBuilder data = new StringBuilder();
            try {
                r.body().forEach(line -> {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new Event(current[0], current[1], data.toString()));
                        }
                        current[0] = null;
                        current[1] = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        current[0] = line.substring(3).strip();
                    } else if (line.startsWith("event:")) {
                        current[1] = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    }
                });
            } catch (RuntimeException closed) {
                // the test closed the stream
            } finally {
                ended.countDown();
            }
        }, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    int status() throws Exception {
        return response.get(10, TimeUnit.SECONDS).statusCode();
    }

    String contentType() throws Exception {
        return response.get(10, TimeUnit.SECONDS).headers().firstValue("Content-Type").orElse("");
    }

    /** The next event named {@code name}, skipping others; null after the wait. */
    Event next(String name, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Event e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                return null;
            }
            if (name.equals(e.name())) {
                return e;
            }
        }
    }

    /** The next event named {@code name} about envelope {@code envelopeId}, skipping others; null after the wait. */
    Event next(String name, String envelopeId, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left <= 0 ? null : next(name, Duration.ofNanos(left));
            if (e == null || e.data().contains("\"id\":\"" + envelopeId + "\"")) {
                return e;
            }
        }
    }

    /** Whether the server ended the stream (its body reached its end) within the wait. */
    boolean endsWithin(Duration wait) throws InterruptedException {
        return ended.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Everything received so far and within the wait, in order. */
    List<Event> drain(Duration wait) throws InterruptedException {
        Thread.sleep(wait.toMillis());
        List<Event> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        Stream<String> l = lines;
        if (l != null) {
            l.close();
        }
        response.cancel(true);
    }
}
