package io.lmcache.agent.heartbeat;

import io.lmcache.common.client.FetchResult;
import io.lmcache.common.client.HttpFetcher;
import io.lmcache.common.client.HttpTarget;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces one MP server to a discovery service, as the reference's HeartbeatService does:
 * {@code GET <heartbeat_url>?api_address=...&pid=...&version=...&other_info=...}, encoded as Python's
 * {@code urlencode}, where
 * <ul>
 *   <li>{@code api_address} is {@code http://<report host, or the auto-detected non-loopback IPv4>:<report port>};</li>
 *   <li>{@code version} comes from the first node whose {@code /version} answers 200 with a non-empty body (trimmed,
 *       one pair of surrounding quotes removed), {@code 1.0.0} when none does; Unix-socket nodes are probed too;</li>
 *   <li>{@code other_info} is the JSON string {@code {"startup_time": "<ISO local, microseconds>", "nodes_count": N}}
 *       with N the number of nodes the supplier lists.</li>
 * </ul>
 *
 * <p>Unlike the original: beats follow a fixed-rate grid (no drift) with a little jitter; while discovery is
 * unreachable, retries come quickly with capped exponential backoff ({@value #INITIAL_BACKOFF_MILLIS} ms, doubling, at
 * most the interval), so a restarted discovery sees every node again within seconds; the local IP is detected once and
 * again only after a failure; the pid is the MP server's; {@link #stop()} deregisters. All I/O goes through the
 * {@link HttpFetcher}'s futures and one daemon scheduler thread: nothing here blocks a Netty event loop.
 */
public final class HeartbeatService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatService.class);

    public static final String DEFAULT_VERSION = "1.0.0";
    static final long INITIAL_BACKOFF_MILLIS = 1_000;
    /** Jitter added to each beat: up to this share of the interval ... */
    static final double JITTER_SHARE = 0.05;
    /** ... and never more than this. */
    static final long MAX_JITTER_MILLIS = 1_000;
    static final Duration VERSION_TIMEOUT = Duration.ofSeconds(5);
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #stop()} waits for an in-flight beat and the deregistration. */
    static final long STOP_WAIT_MILLIS = 1_500;
    static final int MAX_VERSION_BODY_BYTES = 4 * 1024;
    static final int MAX_HEARTBEAT_BODY_BYTES = 64 * 1024;
    /** Log a continuing failure again only every this many attempts. */
    private static final int FAILURE_LOG_EVERY = 10;

    static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private final HttpFetcher fetcher;
    private final int reportPort;
    private final String reportHost;
    private final Supplier<List<HttpTarget>> nodes;
    private final long pid;
    private final Supplier<String> ipDetector;
    private final long initialBackoffMillis;
    private final String startupTime;

    private final Object lock = new Object();
    /** The current run, or null when stopped; {@code everStarted} distinguishes "never" (status running = null). */
    private Run run;
    private boolean everStarted;

    private volatile String localIp;
    private volatile LocalDateTime lastSuccess;
    private volatile LocalDateTime lastFailure;
    private volatile String lastError;
    private volatile int consecutiveFailures;
    private volatile long beatsSent;
    private volatile String lastVersion;

    /**
     * @param reportPort  the port put into api_address
     * @param reportHost  host for api_address, or null/empty to auto-detect a non-loopback IPv4
     * @param nodes       the live node list: probed for /version, counted for nodes_count
     * @param pid         pid reported (the MP server's, when known); 0 or less means this process's
     */
    public HeartbeatService(HttpFetcher fetcher, int reportPort, String reportHost, Supplier<List<HttpTarget>> nodes,
                            long pid) {
        this(fetcher, reportPort, reportHost, nodes, pid, LocalAddresses::detectIpv4, INITIAL_BACKOFF_MILLIS);
    }

    HeartbeatService(HttpFetcher fetcher, int reportPort, String reportHost, Supplier<List<HttpTarget>> nodes,
                     long pid, Supplier<String> ipDetector, long initialBackoffMillis) {
        if (reportPort < 1 || reportPort > 65535) {
            throw new IllegalArgumentException("report port " + reportPort + " is out of range");
        }
        this.fetcher = fetcher;
        this.reportPort = reportPort;
        this.reportHost = reportHost == null || reportHost.isBlank() ? null : reportHost.trim();
        this.nodes = nodes;
        this.pid = pid > 0 ? pid : ProcessHandle.current().pid();
        this.ipDetector = ipDetector;
        this.initialBackoffMillis = initialBackoffMillis;
        this.startupTime = nowIso();
    }

    /** Starts beating; false (and no change) if already running. Never blocks. */
    public boolean start(String heartbeatUrl, Duration initialDelay, Duration interval) {
        HeartbeatUrl url = HeartbeatUrl.parse(heartbeatUrl);
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive");
        }
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("heartbeat initial delay must not be negative");
        }
        synchronized (lock) {
            if (run != null) {
                log.info("Heartbeat service already running");
                return false;
            }
            everStarted = true;
            run = new Run(url, interval.toMillis());
            log.info("Heartbeat to {} every {} ms, api_address host {}", url.url(), interval.toMillis(),
                    reportHost != null ? reportHost : "auto-detected");
            run.scheduleAt(initialDelay.toMillis(), true);
            return true;
        }
    }

    /**
     * Stops, and deregisters from discovery when it was running; false if it was not running. Waits at most
     * {@value #STOP_WAIT_MILLIS} ms for an in-flight beat and the deregistration, and not at all when called on a
     * Netty event loop (use {@link #stopAsync()} there to learn when it is done).
     */
    public boolean stop() {
        CompletableFuture<Boolean> done = stopAsync();
        if (done == null) {
            return false;
        }
        if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
            try {
                done.get(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.debug("deregistration did not finish in time: {}", e.toString());
            }
        }
        return true;
    }

    /**
     * Stops without waiting; null if it was not running, else a future completing (never exceptionally) with
     * whether discovery acknowledged the deregistration.
     */
    public CompletableFuture<Boolean> stopAsync() {
        Run r;
        synchronized (lock) {
            r = run;
            run = null;
        }
        if (r == null) {
            log.debug("Heartbeat service is not running");
            return null;
        }
        r.stopped = true;
        r.scheduler.shutdownNow();
        CompletableFuture<Object> inflightDone = new CompletableFuture<>();
        r.inflight.whenComplete((v, e) -> inflightDone.complete(null));
        inflightDone.completeOnTimeout(null, STOP_WAIT_MILLIS / 2, TimeUnit.MILLISECONDS);
        return inflightDone.thenCompose(x -> deregister(r.url)).exceptionally(e -> false);
    }

    /** Sends one heartbeat now (like the reference's {@code send_heartbeat}); never completes exceptionally. */
    public CompletableFuture<Boolean> sendOnce(String heartbeatUrl) {
        return send(HeartbeatUrl.parse(heartbeatUrl), () -> false);
    }

    /** running (null if never started), local_ip, startup_time, current_time, and the last outcomes. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        Run r;
        boolean started;
        synchronized (lock) {
            r = run;
            started = everStarted;
        }
        s.put("running", started ? (Object) (r != null) : null);
        s.put("local_ip", localIp());
        s.put("startup_time", startupTime);
        s.put("current_time", nowIso());
        s.put("heartbeat_url", r == null ? null : r.url.url());
        s.put("api_address", apiAddress());
        s.put("pid", pid);
        s.put("version", lastVersion);
        s.put("beats_sent", beatsSent);
        s.put("last_success", format(lastSuccess));
        s.put("last_failure", format(lastFailure));
        s.put("last_error", lastError);
        s.put("consecutive_failures", consecutiveFailures);
        return s;
    }

    /** {@code http://<report host or detected IPv4>:<report port>}. */
    public String apiAddress() {
        String host = reportHost != null ? reportHost : localIp();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + reportPort;
    }

    public String startupTime() {
        return startupTime;
    }

    public long pid() {
        return pid;
    }

    @Override
    public void close() {
        stop();
    }

    /** The detected address (detected on first use and after a failed beat), or the report host if one is set. */
    private String localIp() {
        String ip = localIp;
        if (ip == null) {
            if (reportHost != null) {
                return reportHost;
            }
            ip = ipDetector.get();
            localIp = ip;
        }
        return ip;
    }

    /** One beat: version probe, then the heartbeat; completes with success, never exceptionally. */
    private CompletableFuture<Boolean> send(HeartbeatUrl url, java.util.function.BooleanSupplier cancelled) {
        List<HttpTarget> targets;
        try {
            targets = List.copyOf(nodes.get());
        } catch (RuntimeException e) {
            log.warn("node list unavailable: {}", e.toString());
            targets = List.of();
        }
        int count = targets.size();
        return probeVersion(targets, 0).thenCompose(version -> {
            if (cancelled.getAsBoolean()) {
                return CompletableFuture.completedFuture(false);
            }
            lastVersion = version;
            Map<String, String> params = new LinkedHashMap<>();
            params.put("api_address", apiAddress());
            params.put("pid", Long.toString(pid));
            params.put("version", version);
            params.put("other_info", "{\"startup_time\": \"" + startupTime + "\", \"nodes_count\": " + count + "}");
            String pathAndQuery = url.pathAndQuery(QueryEncoding.urlencode(params));
            return fetcher.get(url.target(), pathAndQuery, HEARTBEAT_TIMEOUT, MAX_HEARTBEAT_BODY_BYTES)
                    .handle((result, error) -> recordOutcome(url, result, error));
        }).exceptionally(e -> recordOutcome(url, null, e));
    }

    private boolean recordOutcome(HeartbeatUrl url, FetchResult result, Throwable error) {
        if (error == null && result.isSuccess()) {
            int failuresBefore = consecutiveFailures;
            boolean first = beatsSent == 0;
            beatsSent++;
            lastSuccess = LocalDateTime.now();
            consecutiveFailures = 0;
            if (first || failuresBefore > 0) {
                log.info("Heartbeat sent to {} as {}{}", url.url(), apiAddress(),
                        failuresBefore > 0 ? " (recovered after " + failuresBefore + " failures)" : "");
            } else {
                log.debug("Heartbeat sent to {}", url.url());
            }
            return true;
        }
        String reason = error != null ? describe(error) : "HTTP " + result.status();
        lastFailure = LocalDateTime.now();
        lastError = reason;
        int failures = ++consecutiveFailures;
        if (reportHost == null) {
            localIp = null; // the address may have changed: detect again on the next beat
        }
        if (failures == 1 || failures % FAILURE_LOG_EVERY == 0) {
            log.warn("Heartbeat send failed: {} - Error: {} ({} consecutive)", url.url(), reason, failures);
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** First node answering {@code /version} with 200 and a non-empty body wins, in list order. */
    private CompletableFuture<String> probeVersion(List<HttpTarget> targets, int index) {
        if (index >= targets.size()) {
            return CompletableFuture.completedFuture(DEFAULT_VERSION);
        }
        HttpTarget target = targets.get(index);
        CompletableFuture<FetchResult> probe;
        try {
            probe = fetcher.get(target, "/version", VERSION_TIMEOUT, MAX_VERSION_BODY_BYTES);
        } catch (RuntimeException e) {
            probe = CompletableFuture.failedFuture(e);
        }
        return probe.handle((result, error) -> {
            if (error == null && result.status() == 200) {
                String v = unquote(result.bodyUtf8().trim());
                if (!v.isEmpty()) {
                    return v;
                }
            } else {
                log.debug("version probe of {} failed: {}", target,
                        error != null ? describe(error) : "HTTP " + result.status());
            }
            return null;
        }).thenCompose(v -> v != null ? CompletableFuture.completedFuture(v) : probeVersion(targets, index + 1));
    }

    /** Removes one pair of surrounding {@code "} or {@code '}. */
    static String unquote(String v) {
        if (v.length() >= 2) {
            char first = v.charAt(0);
            char last = v.charAt(v.length() - 1);
            if ((first == '"' || first == '\'') && last == first) {
                return v.substring(1, v.length() - 1);
            }
        }
        return v;
    }

    private CompletableFuture<Boolean> deregister(HeartbeatUrl url) {
        String pathAndQuery = url.deregisterPathAndQuery(QueryEncoding.urlencode(Map.of("api_address", apiAddress())));
        if (pathAndQuery == null) {
            log.info("Heartbeat stopped ({} has no deregistration endpoint)", url.url());
            return CompletableFuture.completedFuture(false);
        }
        return fetcher.get(url.target(), pathAndQuery, Duration.ofMillis(STOP_WAIT_MILLIS), MAX_HEARTBEAT_BODY_BYTES)
                .handle((result, error) -> {
                    boolean ok = error == null && result.isSuccess();
                    if (ok) {
                        log.info("Deregistered {} from {}", apiAddress(), url.url());
                    } else {
                        log.warn("Deregistration from {} failed: {}", url.url(),
                                error != null ? describe(error) : "HTTP " + result.status());
                    }
                    return ok;
                });
    }

    private static String nowIso() {
        return LocalDateTime.now().truncatedTo(ChronoUnit.MICROS).format(ISO_MICROS);
    }

    private static String format(LocalDateTime t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS).format(ISO_MICROS);
    }

    /**
     * The first slot of the fixed-rate grid ({@code slot + k * interval}) strictly after {@code now}: the grid never
     * drifts with the time a beat takes, and slots missed while discovery was down are skipped, never bunched.
     */
    static long nextSlotNanos(long slotNanos, long nowNanos, long intervalNanos) {
        long slotsAhead = Math.max(1, Math.floorDiv(nowNanos - slotNanos, intervalNanos) + 1);
        return slotNanos + slotsAhead * intervalNanos;
    }

    /** Upper bound of the random delay added to a beat, so that many nodes started together spread out. */
    static long jitterBoundMillis(long intervalMillis) {
        return Math.min(MAX_JITTER_MILLIS, (long) (intervalMillis * JITTER_SHARE));
    }

    /** One start..stop period: its scheduler thread, its grid and its retry state. */
    private final class Run {
        final HeartbeatUrl url;
        final long intervalMillis;
        final ScheduledExecutorService scheduler;
        volatile boolean stopped;
        volatile CompletableFuture<Boolean> inflight = CompletableFuture.completedFuture(true);
        /** Due time (System.nanoTime) of the current grid slot. */
        long slotNanos;
        long backoffMillis;

        Run(HeartbeatUrl url, long intervalMillis) {
            this.url = url;
            this.intervalMillis = intervalMillis;
            this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "heartbeat");
                t.setDaemon(true);
                return t;
            });
        }

        /** Schedules the next beat {@code delayMillis} from now; {@code onGrid} anchors the fixed-rate grid there. */
        void scheduleAt(long delayMillis, boolean onGrid) {
            if (onGrid) {
                slotNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
            }
            try {
                scheduler.schedule(this::beat, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // stopped meanwhile
            }
        }

        void beat() {
            if (stopped) {
                return;
            }
            CompletableFuture<Boolean> f = send(url, () -> stopped);
            inflight = f;
            f.whenCompleteAsync((ok, e) -> next(Boolean.TRUE.equals(ok)), this::onScheduler);
        }

        /** Runs {@code task} on this run's scheduler thread, or drops it once stopped. */
        private void onScheduler(Runnable task) {
            try {
                scheduler.execute(task);
            } catch (RejectedExecutionException e) {
                // stopped meanwhile
            }
        }

        /** After a beat: back on the grid after success, quick capped exponential retries after a failure. */
        private void next(boolean ok) {
            if (stopped) {
                return;
            }
            if (!ok) {
                backoffMillis = backoffMillis == 0 ? Math.min(initialBackoffMillis, intervalMillis)
                        : Math.min(backoffMillis * 2, intervalMillis);
                scheduleAt(backoffMillis, false);
                return;
            }
            backoffMillis = 0;
            long now = System.nanoTime();
            slotNanos = nextSlotNanos(slotNanos, now, TimeUnit.MILLISECONDS.toNanos(intervalMillis));
            long jitterBound = jitterBoundMillis(intervalMillis);
            long jitter = jitterBound > 0 ? ThreadLocalRandom.current().nextLong(jitterBound + 1) : 0;
            long delay = Math.max(0, TimeUnit.NANOSECONDS.toMillis(slotNanos - now)) + jitter;
            scheduleAt(delay, false);
        }
    }
}
