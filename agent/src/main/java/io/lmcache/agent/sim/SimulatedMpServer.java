package io.lmcache.agent.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmcache.common.http.Exchange;
import io.lmcache.common.http.HttpLimits;
import io.lmcache.common.http.HttpServer;
import io.lmcache.common.http.Json;
import io.lmcache.common.http.Responses;
import io.lmcache.common.http.Router;
import io.lmcache.common.net.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Netty server answering like an LMCache MP server's HTTP frontend (reference §8): {@code /}, {@code /api/status}
 * and {@code /status}, health checks, Prometheus {@code /metrics} whose counters grow over time, {@code /version},
 * {@code /conf}, {@code /env} (with fake secrets, as a real node leaks them), {@code /threads}, {@code /loglevel},
 * and a large streamed body at {@code /api/kv/retrieve?bytes=N}. Anything else is FastAPI's
 * {@code 404 {"detail":"Not Found"}} (so {@code /api/nodes}, {@code /meta} and {@code /inference_info} are 404s, as on a
 * real MP node).
 *
 * <p>It is the origin of the proxy benchmarks, so the hot path {@code GET /} answers precomputed bytes. Options add a
 * fixed latency before every answer and a share of {@code 503} failures. Used in-process by tests, benchmarks and the
 * gateway's {@code demo}, and from the command line by {@code lmcache-agent simulate}.
 */
public final class SimulatedMpServer implements AutoCloseable {
    /** Default body of {@code /api/kv/retrieve} when {@code bytes} is not given. */
    public static final long DEFAULT_KV_BYTES = 1024 * 1024;
    static final Set<String> PYTHON_LEVELS =
            Set.of("CRITICAL", "FATAL", "ERROR", "WARN", "WARNING", "INFO", "DEBUG", "NOTSET");

    private static final byte[] ROOT_BODY =
            "{\"status\":\"ok\",\"service\":\"LMCache HTTP API\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEALTHY_BODY = "{\"status\":\"healthy\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK_STATUS_BODY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
    private static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Python's {@code json.dumps(indent=2)}: two spaces, {@code "key": value}. */
    static final ObjectWriter PYTHON_PRETTY = Json.MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE)
            .withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private final SimulatorOptions options;
    private final SimulatedEngine engine;
    private final MetricsExposition metrics;
    private final LongAdder served = new LongAdder();
    private final Map<String, String> logLevels = new ConcurrentSkipListMap<>();
    private final byte[] versionBody;
    private final byte[] envBody;
    private final List<Map<String, Object>> threads;
    private final long startEpochMillis = System.currentTimeMillis();
    private final ByteBuf kvPattern;
    private volatile HttpServer server;
    private volatile UnixSocketListener unixSocket;

    private SimulatedMpServer(SimulatorOptions options) {
        this.options = options;
        this.engine = new SimulatedEngine(options.seed(), System::nanoTime);
        this.metrics = new MetricsExposition(options.modelName(), 0, startEpochMillis / 1000.0);
        this.versionBody = Json.bytes(options.version());
        this.envBody = pretty(fakeEnvironment(options)).getBytes(StandardCharsets.UTF_8);
        this.threads = fakeThreads(options.seed());
        for (String logger : List.of("root", "lmcache", "lmcache.v1.multiprocess", "uvicorn", "uvicorn.access")) {
            logLevels.put(logger, "INFO");
        }
        this.kvPattern = KvStream.newPattern(ByteBufAllocator.DEFAULT);
    }

    /** Starts on {@code host:port} (0 = any free port) with default options. */
    public static SimulatedMpServer start(String host, int port) throws InterruptedException {
        return start(SimulatorOptions.builder().host(host).port(port).build());
    }

    /** Starts a node shaped by {@code options}; the returned server is listening. */
    public static SimulatedMpServer start(SimulatorOptions options) throws InterruptedException {
        SimulatedMpServer sim = new SimulatedMpServer(options);
        try {
            Transport transport = Transport.select(options.transport());
            Router router = sim.router();
            sim.server = HttpServer.startLocal("sim-" + options.name(), options.host(), options.port(), transport,
                    options.ioThreads(), HttpLimits.DEFAULTS, router);
            if (options.socketPath() != null) {
                sim.unixSocket = new UnixSocketListener(options.socketPath(), transport, HttpLimits.DEFAULTS, router);
            }
        } catch (InterruptedException | RuntimeException e) {
            if (sim.server != null) {
                sim.close(); // also releases the pattern
            } else {
                sim.kvPattern.release();
            }
            throw e;
        }
        return sim;
    }

    public int port() {
        return server.port();
    }

    public String host() {
        return options.host();
    }

    public String name() {
        return options.name();
    }

    public SimulatorOptions options() {
        return options;
    }

    /** HTTP requests this node has answered (including failures), for tests and demos. */
    public long servedRequests() {
        return served.sum();
    }

    /** The Unix socket this node also listens on, or null. */
    public java.nio.file.Path socketPath() {
        UnixSocketListener u = unixSocket;
        return u == null ? null : u.path();
    }

    @Override
    public void close() {
        UnixSocketListener u = unixSocket;
        if (u != null) {
            unixSocket = null;
            u.close();
        }
        HttpServer s = server;
        if (s != null) {
            server = null;
            s.close();
            kvPattern.release();
        }
    }

    private Router router() {
        Router r = new Router();
        r.get("/", page(ex -> Responses.bytes(HttpResponseStatus.OK, Responses.JSON, ROOT_BODY)));
        r.get("/api/status", page(ex -> status()));
        r.get("/status", page(ex -> status()));
        r.get("/api/healthcheck", page(ex -> Responses.bytes(HttpResponseStatus.OK, Responses.JSON, HEALTHY_BODY)));
        r.get("/healthcheck", page(ex -> Responses.bytes(HttpResponseStatus.OK, Responses.JSON, HEALTHY_BODY)));
        r.get("/metrics", page(ex -> Responses.bytes(HttpResponseStatus.OK, METRICS_CONTENT_TYPE,
                metrics.render(engine.snapshot(), served.sum()).getBytes(StandardCharsets.UTF_8))));
        r.post("/metrics/reset", page(ex -> {
            engine.reset();
            return Responses.text(HttpResponseStatus.OK, "ok");
        }));
        r.get("/version", page(ex -> Responses.bytes(HttpResponseStatus.OK, Responses.JSON, versionBody)));
        r.get("/lmc_version", page(ex -> Responses.json(HttpResponseStatus.OK, versionPart(0))));
        r.get("/commit_id", page(ex -> Responses.json(HttpResponseStatus.OK, versionPart(1))));
        r.get("/conf", page(ex -> Responses.bytes(HttpResponseStatus.OK, Responses.JSON,
                pretty(config()).getBytes(StandardCharsets.UTF_8))));
        r.get("/env", page(ex -> Responses.bytes(HttpResponseStatus.OK, Responses.TEXT, envBody)));
        r.get("/threads", page(this::threads));
        r.get("/loglevel", page(this::logLevel));
        r.get("/periodic-threads", page(ex -> Responses.json(HttpResponseStatus.OK, periodicThreads())));
        r.get("/periodic-threads-health", page(ex -> Responses.json(HttpResponseStatus.OK,
                Map.of("healthy", true, "unhealthy_threads", List.of()))));
        r.post("/api/clear-cache", page(ex -> Responses.bytes(HttpResponseStatus.OK, Responses.JSON, OK_STATUS_BODY)));
        r.get("/api/kv/retrieve", this::kvRetrieve);
        r.post("/api/kv/retrieve", this::kvRetrieve);
        r.post("/api/kv/store", ex -> {
            int bytes = ex.request().content().readableBytes(); // read now: the body is released after handle()
            page(e -> Responses.json(HttpResponseStatus.OK, Map.of("status", "ok", "stored_bytes", bytes))).handle(ex);
        });
        return r;
    }

    /** Builds a complete answer from the request (synchronously, while the request is valid). */
    @FunctionalInterface
    private interface Page {
        FullHttpResponse render(Exchange exchange) throws Exception;
    }

    /** Wraps a page with the node's fault policy: a share of 503s, then the added latency. */
    private Router.Handler page(Page page) {
        return ex -> {
            served.increment();
            FullHttpResponse response = failNow() ? failure() : page.render(ex);
            if (options.latency().isZero()) {
                ex.respond(response);
            } else {
                ex.ctx().executor().schedule(() -> ex.respond(response), options.latency().toNanos(),
                        TimeUnit.NANOSECONDS);
            }
        };
    }

    private boolean failNow() {
        double rate = options.failureRate();
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    private FullHttpResponse failure() {
        return Responses.detail(HttpResponseStatus.SERVICE_UNAVAILABLE, "Simulated failure");
    }

    private void kvRetrieve(Exchange ex) {
        served.increment();
        String raw = ex.queryParam("bytes");
        long bytes;
        try {
            bytes = raw == null ? DEFAULT_KV_BYTES : Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes < 0) {
            ex.detail(HttpResponseStatus.BAD_REQUEST, "bytes must be a non-negative integer");
            return;
        }
        if (failNow()) {
            ex.respond(failure());
            return;
        }
        long total = bytes;
        if (options.latency().isZero()) {
            KvStream.start(ex, kvPattern, total);
        } else {
            ex.ctx().executor().schedule(() -> KvStream.start(ex, kvPattern, total), options.latency().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    private FullHttpResponse status() {
        SimulatedEngine.Snapshot s = engine.snapshot();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("is_healthy", true);
        root.put("engine_type", "MPCacheEngine");
        root.put("chunk_size", SimulatedEngine.CHUNK_SIZE_TOKENS);
        root.put("hash_algorithm", "blake3");
        root.putArray("registered_gpu_ids").add(0);
        ObjectNode gpu = root.putObject("gpu_context_meta").putObject("0");
        gpu.put("model_name", options.modelName());
        gpu.put("world_size", 1);
        ObjectNode layout = gpu.putObject("kv_cache_layout");
        layout.put("num_layers", 32);
        layout.put("num_kv_heads", 8);
        layout.put("head_size", 128);
        layout.put("dtype", "bfloat16");
        root.put("active_sessions", 1 + (int) (s.retrieveRequests() % 4));
        root.put("active_prefetch_jobs", s.pendingLookups() > 3 ? 1 : 0);
        root.put("pending_lookup_count", s.pendingLookups());
        root.put("next_prefetch_job_id", s.prefetchJobs() + 1);
        ArrayNode prefetch = root.putArray("prefetch_job_ids");
        for (long id = Math.max(1, s.prefetchJobs() - 6); id <= s.prefetchJobs(); id++) {
            prefetch.add(id);
        }
        ArrayNode pending = root.putArray("pending_request_ids");
        for (int i = 0; i < s.pendingLookups(); i++) {
            pending.add("req-" + (s.lookupRequests() - i));
        }
        ObjectNode periodic = root.putObject("periodic_threads");
        periodic.put("total_count", 4);
        periodic.put("running_count", 4);
        periodic.put("active_count", 2 + (int) (s.retrieveRequests() % 3));
        ObjectNode hits = root.putObject("hit_stats");
        hits.put("hit_rate", s.hitRate());
        hits.put("total_requests", s.retrieveRequests());
        hits.put("total_tokens", s.requestedTokens());
        hits.put("total_retrieved_tokens", s.hitTokens());
        ObjectNode storage = root.putObject("storage_manager");
        storage.put("is_healthy", true);
        ObjectNode l1 = storage.putObject("l1_manager");
        l1.put("total_object_count", s.objectCount());
        l1.put("memory_used_bytes", s.memoryUsedBytes());
        l1.put("memory_total_bytes", s.memoryTotalBytes());
        storage.putObject("store_controller").put("is_running", true);
        storage.putObject("prefetch_controller").put("is_running", true);
        storage.putObject("l1_eviction_controller").put("eviction_policy", "LRU");
        storage.putObject("l2_eviction_controller").put("eviction_policy", "LRU");
        storage.putArray("l2_adapters");
        storage.put("num_l2_adapters", 0);
        root.put("num_l2_adapters", 0);
        return Responses.bytes(HttpResponseStatus.OK, Responses.JSON, Json.bytes(root));
    }

    private ObjectNode config() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode mp = root.putObject("mp");
        mp.put("host", "localhost");
        mp.put("port", 5555);
        mp.put("chunk_size", SimulatedEngine.CHUNK_SIZE_TOKENS);
        mp.put("max_workers", 1);
        ObjectNode sm = root.putObject("storage_manager");
        sm.put("l1_size_gb", SimulatedEngine.L1_CAPACITY_BYTES / (1024.0 * 1024 * 1024));
        sm.put("eviction_policy", "LRU");
        sm.putArray("l2_adapters");
        ObjectNode obs = root.putObject("observability");
        obs.put("enable_metrics", true);
        obs.put("log_level", logLevels.getOrDefault("lmcache", "INFO"));
        ObjectNode http = root.putObject("http");
        http.put("http_host", options.host());
        HttpServer s = server;
        http.put("http_port", s == null ? options.port() : s.port());
        ObjectNode coordinator = root.putObject("coordinator");
        coordinator.putNull("coordinator_url");
        coordinator.put("node_name", options.name());
        return root;
    }

    private String versionPart(int index) {
        String[] parts = options.version().split("-", 2);
        return index < parts.length && !parts[index].isEmpty() ? parts[index] : "NA";
    }

    private FullHttpResponse threads(Exchange ex) {
        String name = ex.queryParam("name");
        String id = ex.queryParam("thread_id");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> t : threads) {
            if (name != null && !((String) t.get("name")).contains(name)) {
                continue;
            }
            if (id != null && !String.valueOf(t.get("thread_id")).equals(id.trim())) {
                continue;
            }
            out.add(t);
        }
        return Responses.json(HttpResponseStatus.OK, out);
    }

    /** The reference's text answers; Python's level names (TRACE and OFF are refused, as there). */
    private FullHttpResponse logLevel(Exchange ex) {
        String logger = ex.queryParam("logger_name");
        String level = ex.queryParam("level");
        if (logger == null || logger.isEmpty()) {
            StringBuilder b = new StringBuilder("=== Loggers and Levels ===\n");
            logLevels.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
            return Responses.text(HttpResponseStatus.OK, b.toString());
        }
        if (level == null || level.isEmpty()) {
            return Responses.text(HttpResponseStatus.OK, logger + ": " + effectiveLevel(logger));
        }
        String upper = level.trim().toUpperCase(Locale.ROOT);
        if (!PYTHON_LEVELS.contains(upper)) {
            return Responses.text(HttpResponseStatus.BAD_REQUEST, "Invalid log level: " + level);
        }
        logLevels.put(logger, upper);
        return Responses.text(HttpResponseStatus.OK, "Set " + logger + " level to " + upper + " (including all handlers)");
    }

    private String effectiveLevel(String logger) {
        String name = logger;
        while (true) {
            String level = logLevels.get(name);
            if (level != null) {
                return level;
            }
            int dot = name.lastIndexOf('.');
            if (dot < 0) {
                return logLevels.getOrDefault("root", "WARNING");
            }
            name = name.substring(0, dot);
        }
    }

    private Map<String, Object> periodicThreads() {
        Map<String, Object> m = new TreeMap<>();
        m.put("total_count", 4);
        m.put("running_count", 4);
        m.put("threads", threads.subList(1, 5).stream().map(t -> t.get("name")).toList());
        return m;
    }

    private static Map<String, String> fakeEnvironment(SimulatorOptions o) {
        Map<String, String> env = new TreeMap<>();
        env.put("AWS_SECRET_ACCESS_KEY", "sim-secret-" + Long.toHexString(o.seed() * 0x9E3779B97F4A7C15L));
        env.put("CUDA_VISIBLE_DEVICES", "0");
        env.put("HF_TOKEN", "hf_simulated" + Long.toHexString(o.seed() + 0xC0FFEE));
        env.put("HOME", "/root");
        env.put("HOSTNAME", o.name());
        env.put("LMCACHE_CHUNK_SIZE", Integer.toString(SimulatedEngine.CHUNK_SIZE_TOKENS));
        env.put("LMCACHE_L1_SIZE_GB", "8");
        env.put("LMCACHE_NODE_NAME", o.name());
        env.put("LMCACHE_SIMULATED", "true");
        env.put("MODEL_NAME", o.modelName());
        env.put("OPENAI_API_KEY", "sk-simulated-not-a-real-key");
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("PYTHONUNBUFFERED", "1");
        return env;
    }

    private static List<Map<String, Object>> fakeThreads(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[][] specs = {
            {"MainThread", "serve_forever"},
            {"StoreController", "_run_store_loop"},
            {"PrefetchController", "_run_prefetch_loop"},
            {"L1EvictionController", "_eviction_loop"},
            {"L2EvictionController", "_eviction_loop"},
            {"uvicorn-http", "run"},
        };
        List<Map<String, Object>> out = new ArrayList<>();
        for (String[] spec : specs) {
            Map<String, Object> t = new java.util.LinkedHashMap<>();
            t.put("thread_id", 139_000_000_000_000L + r.nextLong(1_000_000_000L));
            t.put("name", spec[0]);
            t.put("state", "running");
            t.put("function_name", spec[1]);
            t.put("cpu_time", 0);
            t.put("memory_usage", 0);
            out.add(java.util.Collections.unmodifiableMap(t));
        }
        return List.copyOf(out);
    }

    static String pretty(Object value) {
        try {
            return PYTHON_PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
