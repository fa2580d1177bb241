package io.lmcache.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExpositionParserTest {
    private static final String TEXT = "text/plain; version=0.0.4";
    private static final String OM = "application/openmetrics-text; version=1.0.0";

    private static Exposition parse(String body) throws InvalidExpositionException {
        return ExpositionParser.parse(body, TEXT, "n1", 1000);
    }

    private static String render(Exposition e) {
        StringBuilder sb = new StringBuilder();
        MetricsMerger.render(MetricsMerger.merge(List.of(e)), sb::append);
        return sb.toString();
    }

    @Test
    void an_html_page_is_rejected_with_the_line_number() {
        assertThatThrownBy(() -> parse("<html>\n<body>oops</body>\n</html>\n"))
                .isInstanceOf(InvalidExpositionException.class).hasMessageStartingWith("line 1: expected a metric name");
    }

    @Test
    void a_body_cut_in_the_middle_of_a_line_is_rejected() {
        assertThatThrownBy(() -> parse("a 1\nb{x=\"y"))
                .isInstanceOf(InvalidExpositionException.class).hasMessageContaining("truncated");
    }

    @Test
    void an_openmetrics_body_without_eof_is_rejected() {
        assertThatThrownBy(() -> ExpositionParser.parse("# TYPE a counter\na_total 1\n", OM, "n", 10))
                .isInstanceOf(InvalidExpositionException.class).hasMessageContaining("# EOF");
    }

    @Test
    void an_openmetrics_body_is_recognised_by_its_eof_line_even_without_the_content_type() throws Exception {
        Exposition e = ExpositionParser.parse("# TYPE a counter\na_total 1 1700000000.5\n# EOF", null, "n", 10);
        assertThat(render(e)).isEqualTo("# TYPE a_total counter\na_total{node=\"n\"} 1 1700000000500\n");
    }

    @Test
    void more_samples_than_the_bound_reject_the_node() {
        assertThatThrownBy(() -> ExpositionParser.parse("a 1\nb 2\nc 3\n", TEXT, "n", 2))
                .isInstanceOf(InvalidExpositionException.class).hasMessage("more than 2 samples");
    }

    @Test
    void values_that_go_parsers_reject_make_the_body_invalid() {
        for (String bad : List.of("a 1f\n", "a 0x10\n", "a .\n", "a 1e\n", "a\n", "a 1 2 3\n", "a 1 1.5\n", "a{b=\"c\"}1\n",
                "a{b=\"c\",b=\"d\"} 1\n", "a{b=c} 1\n", "a{b=\"c\" 1\n")) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(InvalidExpositionException.class);
        }
    }

    @Test
    void special_values_timestamps_blank_lines_and_crlf_are_accepted() throws Exception {
        Exposition e = parse("a +Inf\r\nb -Inf\n\nc NaN 1700000000000\nd 1.5e-3\t-12\ne   7\n");
        assertThat(e.samples()).isEqualTo(5);
        assertThat(render(e)).contains("a{node=\"n1\"} +Inf\n", "c{node=\"n1\"} NaN 1700000000000\n",
                "d{node=\"n1\"} 1.5e-3 -12\n", "e{node=\"n1\"} 7\n");
    }

    @Test
    void the_node_name_is_escaped_as_a_label_value() throws Exception {
        Exposition e = ExpositionParser.parse("a 1\n", TEXT, "we\"ird\\name", 10);
        assertThat(render(e)).contains("a{node=\"we\\\"ird\\\\name\"} 1\n");
    }

    @Test
    void the_gateways_own_families_get_no_node_label() throws Exception {
        Exposition e = ExpositionParser.parse("# TYPE a gauge\na 1\na{x=\"y\"} 2\n", TEXT, null, 10);
        assertThat(render(e)).isEqualTo("# TYPE a gauge\na 1\na{x=\"y\"} 2\n");
    }

    @Test
    void the_first_help_and_type_of_a_name_win_within_one_node() throws Exception {
        Exposition e = parse("# HELP a first\n# HELP a second\n# TYPE a gauge\n# TYPE a counter\na 1\n");
        assertThat(render(e)).isEqualTo("# HELP a first\n# TYPE a gauge\na{node=\"n1\"} 1\n");
    }

    @Test
    void a_family_split_across_a_nodes_body_is_grouped_in_its_order() throws Exception {
        Exposition e = parse("# TYPE a gauge\na{i=\"1\"} 1\n# TYPE b gauge\nb 2\na{i=\"2\"} 3\n");
        assertThat(render(e)).isEqualTo("# TYPE a gauge\na{node=\"n1\",i=\"1\"} 1\na{node=\"n1\",i=\"2\"} 3\n"
                + "# TYPE b gauge\nb{node=\"n1\"} 2\n");
    }

    @Test
    void help_in_openmetrics_unescapes_quotes_and_is_reescaped_for_0_0_4() throws Exception {
        Exposition e = ExpositionParser.parse("# HELP a say \\\"x\\\" \\\\ \\n end\n# TYPE a gauge\na 1\n# EOF\n", OM,
                "n", 10);
        assertThat(render(e)).startsWith("# HELP a say \"x\" \\\\ \\n end\n");
    }

    @Test
    void label_names_with_colons_become_underscores_without_colliding() throws Exception {
        Exposition e = parse("a{x:y=\"1\",x_y=\"2\"} 1\n");
        assertThat(render(e)).contains("a{node=\"n1\",exported_x_y=\"1\",x_y=\"2\"} 1\n");
    }

    @Test
    void content_after_eof_is_rejected() {
        assertThatThrownBy(() -> ExpositionParser.parse("a 1\n# EOF\nb 2\n", OM, "n", 10))
                .isInstanceOf(InvalidExpositionException.class).hasMessageContaining("after '# EOF'");
    }

    @Test
    void an_empty_body_is_a_node_with_no_samples() throws Exception {
        assertThat(parse("").samples()).isZero();
    }
}
