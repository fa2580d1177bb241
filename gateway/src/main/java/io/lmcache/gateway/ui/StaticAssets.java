package io.lmcache.gateway.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The dashboard's files, read once from the classpath into memory at start and never touched on disk again.
 *
 * <p>Serving is a lookup in an immutable map keyed by relative path ({@code js/app.js}), so no request path can ever
 * reach a file outside this set: {@code ../pom.xml}, encoded or not, is simply not a key. Files come from the
 * classpath folder {@code static/} plus the uPlot WebJar, mounted under {@code vendor/}.
 */
public final class StaticAssets {
    /** One servable file: its bytes, content type and a strong ETag derived from its content. */
    public record Asset(byte[] body, String contentType, String etag, boolean versioned) {
    }

    static final String STATIC_ROOT = "static/";
    static final String UPLOT_DIST = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    /** Vendor files we serve, by served name; third-party code is pinned, so it may be cached for long. */
    static final Map<String, String> VENDOR_FILES = Map.of(
            "vendor/uPlot.iife.min.js", UPLOT_DIST + "uPlot.iife.min.js",
            "vendor/uPlot.min.css", UPLOT_DIST + "uPlot.min.css");

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json",
            "txt", "text/plain; charset=utf-8");

    private final Map<String, Asset> assets;

    private StaticAssets(Map<String, Asset> assets) {
        this.assets = Collections.unmodifiableMap(assets);
    }

    /** Loads every file under {@code static/} (from a jar or a directory) and the vendor files. */
    public static StaticAssets load(ClassLoader loader) {
        Map<String, Asset> found = new TreeMap<>();
        URL index = loader.getResource(STATIC_ROOT + "index.html");
        if (index == null) {
            throw new IllegalStateException("dashboard resources missing: no " + STATIC_ROOT + "index.html on the classpath");
        }
        try {
            if ("jar".equals(index.getProtocol())) {
                readJar(index, found);
            } else {
                readDirectory(Paths.get(index.toURI()).getParent(), found);
            }
            for (Map.Entry<String, String> vendor : VENDOR_FILES.entrySet()) {
                try (InputStream in = loader.getResourceAsStream(vendor.getValue())) {
                    if (in == null) {
                        throw new IllegalStateException("uPlot WebJar missing from the classpath: " + vendor.getValue());
                    }
                    put(found, vendor.getKey(), in.readAllBytes(), true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard resources", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read dashboard resources", e);
        }
        return new StaticAssets(found);
    }

    /** The file at {@code relativePath} (e.g. {@code css/style.css}), or empty for anything else. */
    public Optional<Asset> find(String relativePath) {
        return Optional.ofNullable(assets.get(relativePath));
    }

    /** Served names, sorted. */
    public java.util.Set<String> names() {
        return assets.keySet();
    }

    private static void readJar(URL index, Map<String, Asset> found) throws IOException {
        JarURLConnection connection = (JarURLConnection) index.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (!entry.isDirectory() && name.startsWith(STATIC_ROOT)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        put(found, name.substring(STATIC_ROOT.length()), in.readAllBytes(), false);
                    }
                }
            }
        }
    }

    private static void readDirectory(Path root, Map<String, Asset> found) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                put(found, relative, Files.readAllBytes(file), false);
            }
        }
    }

    private static void put(Map<String, Asset> found, String relative, byte[] body, boolean versioned) {
        String type = contentType(relative);
        if (type == null) {
            return; // a file we do not know how to label is not served, rather than served as a guess
        }
        found.put(relative, new Asset(body, type, etag(body), versioned));
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? null : CONTENT_TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
