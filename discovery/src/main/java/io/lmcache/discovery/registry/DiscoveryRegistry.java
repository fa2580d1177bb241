package io.lmcache.discovery.registry;

import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat registry: which LMCache nodes are alive, embeddable in the gateway and served standalone by
 * {@code lmcache-discovery}.
 *
 * <p><b>Keys.</b> Every heartbeat is an idempotent upsert keyed by the normalised {@code api_address}
 * ({@link ApiAddresses#normalise}); the first heartbeat fixes {@code startTime}, later ones move
 * {@code lastReportTime} and replace pid, version and other_info.
 *
 * <p><b>Liveness.</b> Measured on a monotonic clock only (wall-clock jumps change nothing). With a TTL {@code T}, a node
 * is {@link EntryState#UP} until {@code T/2} has passed since its last heartbeat, then {@link EntryState#STALE}, and
 * it is evicted once {@code T} has passed. With the reference's defaults (TTL 90 s, a heartbeat every 30 s) a healthy
 * node is never stale (a beat may be up to 15 s late), a node that missed one beat is stale, and one that missed three
 * is gone. There is a single TTL (no Eureka-style doubling): a node is never listed {@code T} or more after its last
 * heartbeat, because every read and every write evicts expired entries first, and a background sweep (for logs and
 * metrics) runs in between.
 *
 * <p><b>Bounds.</b> At most {@code maxNodes} live registrations: a heartbeat from a new address beyond that is refused
 * ({@link Rejection#TOO_MANY_NODES}) while registered nodes keep heartbeating. Field sizes are bounded
 * ({@link #MAX_VERSION_CHARS}, {@link #MAX_OTHER_INFO_CHARS}, {@link ApiAddresses#MAX_API_ADDRESS_CHARS}).
 *
 * <p>Thread-safe: one lock guards the map; every operation under it is O(1) except reads and sweeps, which are linear
 * in what they return or evict.
 */
public final class DiscoveryRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiscoveryRegistry.class);

    /** Version recorded when a heartbeat carries none, as the reference does. */
    public static final String DEFAULT_VERSION = "1.0.0";
    /** other_info recorded when a heartbeat carries none, as the reference does. */
    public static final String DEFAULT_OTHER_INFO = "{}";
    /** Longest version accepted, in characters. */
    public static final int MAX_VERSION_CHARS = 256;
    /** Longest other_info accepted, in characters (the reference's agents send under 100). */
    public static final int MAX_OTHER_INFO_CHARS = 8 * 1024;
    /** Bounds of the background sweep period (a tenth of the TTL in between). */
    private static final long MIN_SWEEP_PERIOD_MILLIS = 100;
    private static final long MAX_SWEEP_PERIOD_MILLIS = 5_000;

    private final long ttlNanos;
    private final long staleAfterNanos;
    private final int maxNodes;
    private final LongSupplier nanoTime;
    private final Clock wallClock;
    private final DiscoveryMetrics metrics;
    private final ScheduledExecutorService sweeper;

    /** Guarded by {@code this}. Ordered by last heartbeat, oldest first, so expired entries form a prefix. */
    private final LinkedHashMap<String, Registration> byRecency = new LinkedHashMap<>();
    /** Guarded by {@code this}. Orders registrations by first sight. */
    private long nextSequence;
    /** Expiries found under the lock, logged after it is released so that a mass expiry never stalls heartbeats. */
    private final ConcurrentLinkedQueue<String> expiryNotices = new ConcurrentLinkedQueue<>();

    /** A live registration; mutable, guarded by the registry's lock, never handed out. */
    private static final class Registration {
        final String apiAddress;
        final String ipAddress;
        final long sequence;
        final Instant startTime;
        Long pid;
        String version;
        String otherInfo;
        Instant lastReportTime;
        long lastReportNanos;
        boolean staleLogged;

        Registration(String apiAddress, long sequence, Instant startTime) {
            this.apiAddress = apiAddress;
            this.ipAddress = ApiAddresses.ipLiteral(apiAddress);
            this.sequence = sequence;
            this.startTime = startTime;
        }
    }

    private DiscoveryRegistry(long ttlMillis, int maxNodes, LongSupplier nanoTime, Clock wallClock,
                              boolean backgroundSweep) {
        if (ttlMillis < 1) {
            throw new IllegalArgumentException("TTL must be at least 1 ms, got " + ttlMillis);
        }
        if (maxNodes < 1) {
            throw new IllegalArgumentException("max nodes must be at least 1, got " + maxNodes);
        }
        this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMillis);
        this.staleAfterNanos = ttlNanos / 2;
        this.maxNodes = maxNodes;
        this.nanoTime = nanoTime;
        this.wallClock = wallClock;
        this.metrics = new DiscoveryMetrics(this::countsByState);
        if (backgroundSweep) {
            long period = Math.min(MAX_SWEEP_PERIOD_MILLIS, Math.max(MIN_SWEEP_PERIOD_MILLIS, ttlMillis / 10));
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "discovery-sweep");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
        } else {
            sweeper = null;
        }
    }

    /**
     * A registry on the system clocks ({@link System#nanoTime()} for liveness, the default time zone for displayed
     * times) with a background sweep; {@link #close()} stops it.
     *
     * @param ttlMillis expiry after the last heartbeat
     * @param maxNodes  bound on live registrations
     */
    public static DiscoveryRegistry create(long ttlMillis, int maxNodes) {
        return new DiscoveryRegistry(ttlMillis, maxNodes, System::nanoTime, Clock.systemDefaultZone(), true);
    }

    /**
     * A registry on the given clocks and without a background thread: expiry still happens on every read and write,
     * and the owner may call {@link #sweep()}. For tests with a fake clock, and for embedders that sweep themselves.
     *
     * @param nanoTime  monotonic nanoseconds (only differences matter), like {@link System#nanoTime()}
     * @param wallClock source of the displayed {@code startTime} and {@code lastReportTime}, and their time zone
     */
    public static DiscoveryRegistry create(long ttlMillis, int maxNodes, LongSupplier nanoTime, Clock wallClock) {
        return new DiscoveryRegistry(ttlMillis, maxNodes, nanoTime, wallClock, false);
    }

    /**
     * Records a heartbeat with the query values as received (null when absent). Returns true when it registered a
     * node that was not listed. On a {@link RejectedException} nothing changed.
     *
     * @param rawApiAddress the node's {@code api_address}; required, {@code http(s)://host:port[/path]}
     * @param rawPid        an integer, or null/empty for none
     * @param version       null for {@link #DEFAULT_VERSION}
     * @param otherInfo     null for {@link #DEFAULT_OTHER_INFO}; stored and returned exactly as given
     */
    public boolean heartbeat(String rawApiAddress, String rawPid, String version, String otherInfo)
            throws RejectedException {
        try {
            String apiAddress = ApiAddresses.normalise(rawApiAddress);
            Long pid = parsePid(rawPid);
            String v = version == null ? DEFAULT_VERSION : version;
            String info = otherInfo == null ? DEFAULT_OTHER_INFO : otherInfo;
            if (v.length() > MAX_VERSION_CHARS) {
                throw new RejectedException(Rejection.FIELD_TOO_LARGE,
                        "version is longer than " + MAX_VERSION_CHARS + " characters");
            }
            if (info.length() > MAX_OTHER_INFO_CHARS) {
                throw new RejectedException(Rejection.FIELD_TOO_LARGE,
                        "other_info is longer than " + MAX_OTHER_INFO_CHARS + " characters");
            }
            boolean registered = upsert(apiAddress, pid, v, info);
            metrics.heartbeats.inc();
            if (registered) {
                metrics.registrations.inc();
                log.info("node {} registered (pid {}, version {})", apiAddress, pid, v);
            }
            return registered;
        } catch (RejectedException e) {
            metrics.rejected.labels(e.reason().label()).inc();
            log.debug("heartbeat rejected ({}): {}", e.reason().label(), e.getMessage());
            throw e;
        } finally {
            logExpiries();
        }
    }

    private synchronized boolean upsert(String apiAddress, Long pid, String version, String otherInfo)
            throws RejectedException {
        long now = nanoTime.getAsLong();
        evictExpired(now);
        Registration r = byRecency.remove(apiAddress);
        boolean isNew = r == null;
        if (isNew) {
            if (byRecency.size() >= maxNodes) {
                throw new RejectedException(Rejection.TOO_MANY_NODES,
                        "Too many nodes registered (limit " + maxNodes + "); try again later");
            }
            r = new Registration(apiAddress, nextSequence++, wallClock.instant());
        }
        r.pid = pid;
        r.version = version;
        r.otherInfo = otherInfo;
        r.lastReportTime = isNew ? r.startTime : wallClock.instant();
        r.lastReportNanos = now;
        r.staleLogged = false;
        byRecency.put(apiAddress, r); // re-insertion moves it to the most recent end
        return isNew;
    }

    private static Long parsePid(String raw) throws RejectedException {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            long pid = Long.parseLong(raw.trim());
            if (pid < 0 || pid > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return pid;
        } catch (NumberFormatException e) {
            throw new RejectedException(Rejection.INVALID_PID, "pid must be a non-negative integer");
        }
    }

    /**
     * Removes the registration of {@code rawApiAddress} (normalised first). Idempotent: returns false when it was not
     * listed. Throws when the address itself is missing or malformed.
     */
    public boolean deregister(String rawApiAddress) throws RejectedException {
        String apiAddress = ApiAddresses.normalise(rawApiAddress);
        boolean removed;
        synchronized (this) {
            evictExpired(nanoTime.getAsLong());
            removed = byRecency.remove(apiAddress) != null;
        }
        logExpiries();
        if (removed) {
            metrics.deregistrations.inc();
            log.info("node {} deregistered", apiAddress);
        }
        return removed;
    }

    /** Every live registration in first-seen order, with its state as of now. */
    public List<NodeEntry> snapshot() {
        List<NodeEntry> out;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            evictExpired(now);
            List<Registration> live = new ArrayList<>(byRecency.values());
            live.sort(Comparator.comparingLong(r -> r.sequence));
            out = new ArrayList<>(live.size());
            for (Registration r : live) {
                out.add(view(r, now));
            }
        }
        logExpiries();
        return out;
    }

    /** The normalised api_address of every live entry, in first-seen order. */
    public List<String> liveApiAddresses() {
        return snapshot().stream().map(NodeEntry::apiAddress).toList();
    }

    /** The live registration of {@code apiAddress} (normalised first); empty when unknown, expired or malformed. */
    public Optional<NodeEntry> entry(String apiAddress) {
        String key;
        try {
            key = ApiAddresses.normalise(apiAddress);
        } catch (RejectedException e) {
            return Optional.empty();
        }
        Optional<NodeEntry> found;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            evictExpired(now);
            Registration r = byRecency.get(key);
            found = r == null ? Optional.empty() : Optional.of(view(r, now));
        }
        logExpiries();
        return found;
    }

    /** Up or stale for a live {@code apiAddress}; empty when unknown or expired. */
    public Optional<EntryState> state(String apiAddress) {
        return entry(apiAddress).map(NodeEntry::state);
    }

    /** Number of live registrations (up or stale). */
    public int size() {
        int size;
        synchronized (this) {
            evictExpired(nanoTime.getAsLong());
            size = byRecency.size();
        }
        logExpiries();
        return size;
    }

    /**
     * Evicts expired registrations and logs nodes that turned stale since the last sweep. Returns how many were
     * evicted. Runs in the background for registries made by {@link #create(long, int)}.
     */
    public int sweep() {
        List<String> newlyStale = new ArrayList<>();
        int evicted;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            evicted = evictExpired(now);
            // Stale entries are a prefix too (ordered by last heartbeat): stop at the first one that is up.
            for (Registration r : byRecency.values()) {
                if (now - r.lastReportNanos < staleAfterNanos) {
                    break;
                }
                if (!r.staleLogged) {
                    r.staleLogged = true;
                    newlyStale.add(r.apiAddress);
                }
            }
        }
        logExpiries();
        for (String a : newlyStale) {
            log.info("node {} is stale: no heartbeat for {} ms or more", a, TimeUnit.NANOSECONDS.toMillis(staleAfterNanos));
        }
        return evicted;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("discovery sweep failed", e);
        }
    }

    /** Under the lock: drops the expired prefix (their log lines are queued for {@link #logExpiries()}). */
    private int evictExpired(long now) {
        int evicted = 0;
        Iterator<Registration> it = byRecency.values().iterator();
        while (it.hasNext()) {
            Registration r = it.next();
            if (now - r.lastReportNanos < ttlNanos) {
                break;
            }
            it.remove();
            evicted++;
            expiryNotices.add("node " + r.apiAddress + " expired: no heartbeat for "
                    + TimeUnit.NANOSECONDS.toMillis(now - r.lastReportNanos) + " ms");
        }
        if (evicted > 0) {
            metrics.evictions.inc(evicted);
        }
        return evicted;
    }

    private void logExpiries() {
        String notice;
        while ((notice = expiryNotices.poll()) != null) {
            log.info(notice);
        }
    }

    private NodeEntry view(Registration r, long now) {
        long since = now - r.lastReportNanos;
        EntryState state = since >= staleAfterNanos ? EntryState.STALE : EntryState.UP;
        return new NodeEntry(r.apiAddress, r.ipAddress, r.pid, r.version, r.otherInfo, r.startTime, r.lastReportTime,
                since, state);
    }

    private Map<EntryState, Integer> countsByState() {
        Map<EntryState, Integer> counts = new EnumMap<>(EntryState.class);
        for (EntryState s : EntryState.values()) {
            counts.put(s, 0);
        }
        synchronized (this) {
            long now = nanoTime.getAsLong();
            evictExpired(now);
            for (Registration r : byRecency.values()) {
                counts.merge(now - r.lastReportNanos >= staleAfterNanos ? EntryState.STALE : EntryState.UP, 1,
                        Integer::sum);
            }
        }
        logExpiries();
        return counts;
    }

    /** Adds the registry's metric families (nodes by state, heartbeats, registrations, evictions, rejections,
     * deregistrations) to {@code registry}; call once per target registry. */
    public void registerMetrics(CollectorRegistry registry) {
        metrics.register(registry);
    }

    public Duration ttl() {
        return Duration.ofNanos(ttlNanos);
    }

    /** Time without a heartbeat after which a node is reported stale: half the TTL. */
    public Duration staleAfter() {
        return Duration.ofNanos(staleAfterNanos);
    }

    public int maxNodes() {
        return maxNodes;
    }

    /** Time zone of the displayed times. */
    public ZoneId zone() {
        return wallClock.getZone();
    }

    /** Stops the background sweep; the registry itself keeps working (reads and writes still expire entries). */
    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }
}
