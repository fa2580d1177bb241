package io.lmcache.gateway.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Parses one Prometheus text 0.0.4 or OpenMetrics 1.0 body into an {@link Exposition} whose sample lines are already
 * rendered for the merged 0.0.4 output, with {@code node="<name>"} added.
 *
 * <p>The specification this implements:
 * <ul>
 *   <li>OpenMetrics is recognised by its content type or by a final {@code # EOF} line; an OpenMetrics body without
 *       {@code # EOF}, or any non-empty body without a final newline, is truncated and rejected.</li>
 *   <li>Metric names are {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. Label names are read with the same rule (an OpenMetrics
 *       stateset names its label after the metric, so LMCache's contain {@code :}), but 0.0.4 label names cannot
 *       contain {@code :} (Prometheus would reject the whole scrape), so each {@code :} is written as {@code _}.</li>
 *   <li>Label values keep their escapes byte for byte ({@code \\}, {@code \"}, {@code \n}); a backslash before any
 *       other character is a literal backslash and is written as {@code \\} so that 0.0.4 parsers accept it.</li>
 *   <li>HELP text is unescaped by the input's rules (0.0.4: {@code \\}, {@code \n}; OpenMetrics also {@code \"}) and
 *       re-escaped for 0.0.4 by the merger. {@code # UNIT} and other comments are dropped; the first HELP and TYPE of a
 *       name win.</li>
 *   <li>OpenMetrics types become 0.0.4 families exactly as Python's {@code prometheus_client} writes them in 0.0.4: a
 *       counter {@code x} with samples {@code x_total} is family {@code x_total}; {@code x_created} (counters,
 *       histograms, summaries) becomes its own gauge family {@code x_created}, which 0.0.4 parsers accept and which
 *       merges with Python nodes that already expose it that way; {@code info x} becomes gauge {@code x_info};
 *       {@code stateset} becomes gauge; {@code gaugehistogram} becomes histogram with gauges {@code x_gcount} and
 *       {@code x_gsum}; {@code unknown} becomes untyped.</li>
 *   <li>Exemplars ({@code  # {...} v [ts]} after a sample) are dropped; OpenMetrics timestamps (seconds) become 0.0.4
 *       milliseconds.</li>
 *   <li>A sample whose name matches no TYPE is its own untyped family. An existing {@code node} label becomes
 *       {@code exported_node}; a renamed label whose new name is taken by another label of the sample gets
 *       {@code exported_} prefixes until it is free (Prometheus' rule).</li>
 *   <li>A line that is none of the above (HTML, a cut-off sample, a bad value) rejects the whole body, as does more
 *       than {@code maxSamples} samples: a half-read node would silently lose series.</li>
 * </ul>
 * Not thread-safe; one instance per body.
 */
final class ExpositionParser {
    private static final String EXPORTED_PREFIX = "exported_";
    private static final int MAX_LABELS = 64;

    private final String text;
    private final boolean openMetrics;
    /** Already escaped for a label value; null for the gateway's own families, which get no node label. */
    private final String nodeLabelValue;
    private final int maxSamples;

    private final Map<String, String> types = new HashMap<>();
    private final Map<String, String> helps = new HashMap<>();
    /** Sample name → its family; cleared whenever a TYPE line changes the picture. */
    private final Map<String, FamilyPart> resolved = new HashMap<>();
    private final Exposition out = new Exposition();

    private final int[] nameStart = new int[MAX_LABELS];
    private final int[] nameEnd = new int[MAX_LABELS];
    private final int[] valueStart = new int[MAX_LABELS];
    private final int[] valueEnd = new int[MAX_LABELS];
    private final boolean[] valueNeedsFix = new boolean[MAX_LABELS];
    private int labelCount;

    private String lastName;
    private String lastResolvedName;
    private FamilyPart lastResolved;

    private int lineNumber;
    private boolean eofSeen;

    private ExpositionParser(String text, boolean openMetrics, String nodeName, int maxSamples) {
        this.text = text;
        this.openMetrics = openMetrics;
        this.nodeLabelValue = nodeName == null ? null : escapeLabelValue(nodeName);
        this.maxSamples = maxSamples;
    }

    /**
     * @param contentType the response's Content-Type, or null
     * @param nodeName    the value of the {@code node} label to add, or null to add none
     */
    static Exposition parse(String body, String contentType, String nodeName, int maxSamples)
            throws InvalidExpositionException {
        boolean om = (contentType != null && contentType.toLowerCase().contains("openmetrics")) || endsWithEof(body);
        ExpositionParser p = new ExpositionParser(body, om, nodeName, maxSamples);
        p.run();
        return p.out;
    }

    private static boolean endsWithEof(String body) {
        int end = body.length();
        while (end > 0 && (body.charAt(end - 1) == '\n' || body.charAt(end - 1) == '\r')) {
            end--;
        }
        return body.startsWith("# EOF", end - 5) && (end == 5 || body.charAt(end - 6) == '\n');
    }

    private void run() throws InvalidExpositionException {
        int len = text.length();
        if (len > 0 && text.charAt(len - 1) != '\n' && !(openMetrics && endsWithEof(text))) {
            throw new InvalidExpositionException("truncated body: the last line has no newline");
        }
        int start = 0;
        while (start < len) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? len : nl;
            lineNumber++;
            int lineEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            line(start, lineEnd);
            start = end + 1;
        }
        if (openMetrics && !eofSeen) {
            throw new InvalidExpositionException("truncated OpenMetrics body: no '# EOF'");
        }
        for (FamilyPart part : out.families()) {
            part.help(helps.get(part.metadataName()));
        }
    }

    private void line(int start, int end) throws InvalidExpositionException {
        int i = skipBlanks(start, end);
        if (i == end) {
            return;
        }
        if (eofSeen) {
            throw invalid("content after '# EOF'");
        }
        if (text.charAt(i) == '#') {
            comment(i + 1, end);
        } else {
            sample(i, end);
        }
    }

    private void comment(int start, int end) throws InvalidExpositionException {
        int i = skipBlanks(start, end);
        int wordEnd = tokenEnd(i, end);
        String word = text.substring(i, wordEnd);
        switch (word) {
            case "EOF" -> eofSeen = true;
            case "HELP" -> {
                int n = skipBlanks(wordEnd, end);
                int nEnd = metricNameEnd(n, end);
                if (nEnd == n) {
                    throw invalid("HELP without a metric name");
                }
                String name = text.substring(n, nEnd);
                int h = skipBlanks(nEnd, end);
                helps.putIfAbsent(name, unescapeHelp(h, end));
            }
            case "TYPE" -> {
                int n = skipBlanks(wordEnd, end);
                int nEnd = metricNameEnd(n, end);
                if (nEnd == n) {
                    throw invalid("TYPE without a metric name");
                }
                String name = text.substring(n, nEnd);
                int t = skipBlanks(nEnd, end);
                String type = text.substring(t, tokenEnd(t, end)).toLowerCase();
                if (types.putIfAbsent(name, type) == null) {
                    resolved.clear();
                    lastResolvedName = null;
                    lastResolved = null;
                }
            }
            default -> {
                // # UNIT and free comments carry nothing 0.0.4 can keep.
            }
        }
    }

    private void sample(int start, int end) throws InvalidExpositionException {
        int nEnd = metricNameEnd(start, end);
        if (nEnd == start) {
            throw invalid("expected a metric name");
        }
        // Samples of one family come in runs: reuse the previous name instead of allocating one per line.
        String name = lastName != null && lastName.length() == nEnd - start && text.startsWith(lastName, start)
                ? lastName : text.substring(start, nEnd);
        lastName = name;
        int brace = skipBlanks(nEnd, end);
        labelCount = 0;
        int i = nEnd;
        if (brace < end && text.charAt(brace) == '{') {
            i = labels(brace + 1, end);
        }
        if (i >= end || !isBlank(text.charAt(i))) {
            throw invalid("expected a value after " + name);
        }
        int vStart = skipBlanks(i, end);
        int vEnd = tokenEnd(vStart, end);
        if (!isFloat(vStart, vEnd)) {
            throw invalid("bad value '" + text.substring(vStart, vEnd) + "'");
        }
        int tsStart = skipBlanks(vEnd, end);
        int tsEnd = tsStart;
        if (tsStart < end && text.charAt(tsStart) != '#') {
            tsEnd = tokenEnd(tsStart, end);
            if (!(openMetrics ? isFloat(tsStart, tsEnd) : isInteger(tsStart, tsEnd))) {
                throw invalid("bad timestamp '" + text.substring(tsStart, tsEnd) + "'");
            }
            int rest = skipBlanks(tsEnd, end);
            if (rest < end && !(openMetrics && text.charAt(rest) == '#')) {
                throw invalid("unexpected text after the sample");
            }
        } else if (tsStart < end && !openMetrics) {
            throw invalid("unexpected text after the sample");
        }
        // anything from '#' on is an OpenMetrics exemplar: dropped.

        if (out.samples() >= maxSamples) {
            throw new InvalidExpositionException("more than " + maxSamples + " samples");
        }
        FamilyPart part = name == lastResolvedName ? lastResolved : resolved.get(name);
        if (part == null) {
            part = resolve(name);
            resolved.put(name, part);
        }
        lastResolvedName = name;
        lastResolved = part;
        render(part.lines(), name, vStart, vEnd, tsStart, tsEnd);
        out.sampleAdded(part);
    }

    /** Parses {@code a="x",b="y"}} from just after the brace; returns the index after the closing brace. */
    private int labels(int start, int end) throws InvalidExpositionException {
        int i = start;
        while (true) {
            i = skipBlanks(i, end);
            if (i >= end) {
                throw invalid("unterminated label set");
            }
            if (text.charAt(i) == '}') {
                return i + 1;
            }
            int ln = labelNameEnd(i, end);
            if (ln == i) {
                throw invalid("expected a label name");
            }
            if (labelCount == MAX_LABELS) {
                throw invalid("more than " + MAX_LABELS + " labels");
            }
            for (int k = 0; k < labelCount; k++) {
                if (nameEnd[k] - nameStart[k] == ln - i && text.regionMatches(nameStart[k], text, i, ln - i)) {
                    throw invalid("duplicate label " + text.substring(i, ln));
                }
            }
            nameStart[labelCount] = i;
            nameEnd[labelCount] = ln;
            i = skipBlanks(ln, end);
            if (i >= end || text.charAt(i) != '=') {
                throw invalid("expected '=' after a label name");
            }
            i = skipBlanks(i + 1, end);
            if (i >= end || text.charAt(i) != '"') {
                throw invalid("expected a quoted label value");
            }
            int v = i + 1;
            boolean fix = false;
            int j = v;
            while (true) {
                if (j >= end) {
                    throw invalid("unterminated label value");
                }
                char c = text.charAt(j);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    if (j + 1 >= end) {
                        throw invalid("unterminated label value");
                    }
                    char e = text.charAt(j + 1);
                    if (e == '\\' || e == '"' || e == 'n') {
                        j += 2;
                        continue;
                    }
                    fix = true;
                }
                j++;
            }
            valueStart[labelCount] = v;
            valueEnd[labelCount] = j;
            valueNeedsFix[labelCount] = fix;
            labelCount++;
            i = skipBlanks(j + 1, end);
            if (i < end && text.charAt(i) == ',') {
                i++;
            } else if (i >= end || text.charAt(i) != '}') {
                throw invalid("expected ',' or '}' in a label set");
            }
        }
    }

    private void render(StringBuilder sb, String name, int vStart, int vEnd, int tsStart, int tsEnd) {
        sb.append(name);
        if (nodeLabelValue != null || labelCount > 0) {
            sb.append('{');
            boolean first = true;
            if (nodeLabelValue != null) {
                sb.append("node=\"").append(nodeLabelValue).append('"');
                first = false;
            }
            for (int k = 0; k < labelCount; k++) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                if (nodeLabelValue != null && isLabel(k, "node")) {
                    sb.append(freeName(k, EXPORTED_PREFIX + "node"));
                } else if (text.indexOf(':', nameStart[k]) >= 0 && text.indexOf(':', nameStart[k]) < nameEnd[k]) {
                    sb.append(freeName(k, text.substring(nameStart[k], nameEnd[k]).replace(':', '_')));
                } else {
                    sb.append(text, nameStart[k], nameEnd[k]);
                }
                sb.append("=\"");
                if (valueNeedsFix[k]) {
                    appendFixedValue(sb, valueStart[k], valueEnd[k]);
                } else {
                    sb.append(text, valueStart[k], valueEnd[k]);
                }
                sb.append('"');
            }
            sb.append('}');
        }
        sb.append(' ').append(text, vStart, vEnd);
        if (tsEnd > tsStart) {
            sb.append(' ');
            appendTimestamp(sb, tsStart, tsEnd);
        }
        sb.append('\n');
    }

    private boolean isLabel(int k, String name) {
        return nameEnd[k] - nameStart[k] == name.length() && text.startsWith(name, nameStart[k]);
    }

    /** {@code wanted}, or with more {@code exported_} prefixes while another label of the sample has that name. */
    private String freeName(int k, String wanted) {
        String candidate = wanted;
        boolean taken = true;
        while (taken) {
            taken = false;
            for (int m = 0; m < labelCount; m++) {
                if (m != k && isLabel(m, candidate)) {
                    candidate = EXPORTED_PREFIX + candidate;
                    taken = true;
                    break;
                }
            }
        }
        return candidate;
    }

    private void appendFixedValue(StringBuilder sb, int start, int end) {
        for (int j = start; j < end; j++) {
            char c = text.charAt(j);
            if (c == '\\') {
                char e = text.charAt(j + 1);
                if (e == '\\' || e == '"' || e == 'n') {
                    sb.append(c).append(e);
                    j++;
                } else {
                    sb.append("\\\\"); // a lone backslash means itself
                }
            } else {
                sb.append(c);
            }
        }
    }

    private void appendTimestamp(StringBuilder sb, int start, int end) {
        if (!openMetrics) {
            sb.append(text, start, end);
            return;
        }
        // OpenMetrics timestamps are seconds (possibly fractional); 0.0.4 wants integer milliseconds.
        sb.append(Math.round(Double.parseDouble(text.substring(start, end)) * 1000));
    }

    private FamilyPart resolve(String name) {
        String declared = types.get(name);
        if (declared != null) {
            return out.family(name, directType(declared), name);
        }
        FamilyPart viaBase = resolveSuffixed(name);
        return viaBase != null ? viaBase : out.family(name, MetricType.UNTYPED, name);
    }

    private static MetricType directType(String declared) {
        return switch (declared) {
            case "counter" -> MetricType.COUNTER;
            case "gauge", "stateset", "info" -> MetricType.GAUGE;
            case "histogram", "gaugehistogram" -> MetricType.HISTOGRAM;
            case "summary" -> MetricType.SUMMARY;
            default -> MetricType.UNTYPED;
        };
    }

    /** A sample named {@code base + suffix} of a declared family {@code base}, or null. */
    private FamilyPart resolveSuffixed(String name) {
        int us = name.lastIndexOf('_');
        if (us <= 0) {
            return null;
        }
        String base = name.substring(0, us);
        String declared = types.get(base);
        if (declared == null) {
            return null;
        }
        String suffix = name.substring(us);
        return switch (suffix) {
            case "_total" -> declared.equals("counter") ? out.family(name, MetricType.COUNTER, base) : null;
            case "_created" -> declared.equals("counter") || declared.equals("histogram") || declared.equals("summary")
                    ? out.family(name, MetricType.GAUGE, base) : null;
            case "_bucket" -> declared.equals("histogram") || declared.equals("gaugehistogram")
                    ? out.family(base, MetricType.HISTOGRAM, base) : null;
            case "_count", "_sum" -> declared.equals("histogram") || declared.equals("summary")
                    ? out.family(base, directType(declared), base) : null;
            case "_gcount", "_gsum" -> declared.equals("gaugehistogram") ? out.family(name, MetricType.GAUGE, base) : null;
            case "_info" -> declared.equals("info") ? out.family(name, MetricType.GAUGE, base) : null;
            default -> null;
        };
    }

    private String unescapeHelp(int start, int end) {
        if (text.indexOf('\\', start) < 0 || text.indexOf('\\', start) >= end) {
            return text.substring(start, end);
        }
        StringBuilder sb = new StringBuilder(end - start);
        for (int j = start; j < end; j++) {
            char c = text.charAt(j);
            if (c == '\\' && j + 1 < end) {
                char e = text.charAt(j + 1);
                if (e == '\\') {
                    sb.append('\\');
                    j++;
                    continue;
                } else if (e == 'n') {
                    sb.append('\n');
                    j++;
                    continue;
                } else if (e == '"' && openMetrics) {
                    sb.append('"');
                    j++;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Accepts what Go's ParseFloat accepts in practice: decimal numbers with exponent, Inf, NaN. */
    private boolean isFloat(int start, int end) {
        int i = start;
        if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        if (i == end) {
            return false;
        }
        char first = text.charAt(i);
        if (first == 'i' || first == 'I' || first == 'n' || first == 'N') {
            String rest = text.substring(i, end);
            return rest.equalsIgnoreCase("inf") || rest.equalsIgnoreCase("infinity") || rest.equalsIgnoreCase("nan");
        }
        int digits = 0;
        while (i < end && isDigit(text.charAt(i))) {
            i++;
            digits++;
        }
        if (i < end && text.charAt(i) == '.') {
            i++;
            while (i < end && isDigit(text.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < end && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < end && isDigit(text.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == end;
    }

    private boolean isInteger(int start, int end) {
        int i = start < end && text.charAt(start) == '-' ? start + 1 : start;
        if (i == end) {
            return false;
        }
        for (; i < end; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private int metricNameEnd(int start, int end) {
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
                    || (i > start && c >= '0' && c <= '9');
            if (!ok) {
                break;
            }
            i++;
        }
        return i;
    }

    private int labelNameEnd(int start, int end) {
        return metricNameEnd(start, end);
    }

    private int skipBlanks(int i, int end) {
        while (i < end && isBlank(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private int tokenEnd(int i, int end) {
        while (i < end && !isBlank(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private InvalidExpositionException invalid(String what) {
        return new InvalidExpositionException("line " + lineNumber + ": " + what);
    }

    /** Escapes a raw string for a 0.0.4 label value. */
    static String escapeLabelValue(String raw) {
        StringBuilder sb = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            String rep = c == '\\' ? "\\\\" : c == '"' ? "\\\"" : c == '\n' ? "\\n" : null;
            if (rep != null && sb == null) {
                sb = new StringBuilder(raw.length() + 8).append(raw, 0, i);
            }
            if (sb != null) {
                if (rep != null) {
                    sb.append(rep);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? raw : sb.toString();
    }
}
