package org.offlinecommons.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestCodecTest {

    private static final String SHA = "a".repeat(64);

    private static String manifest(String fields) {
        return "{\"format\":1,\"id\":\"maths-1\",\"version\":3,\"title\":\"Maths\"," + fields
                + "\"files\":[{\"path\":\"a/b.html\",\"size\":5,\"sha256\":\"" + SHA + "\"}]}";
    }

    private static PackManifest parse(String json) {
        return ManifestCodec.parse(json.getBytes(StandardCharsets.UTF_8), "x.zip: pack.json");
    }

    @Test
    void readsAValidManifestWithDefaults() {
        PackManifest m = parse(manifest(""));
        assertThat(m.id()).isEqualTo("maths-1");
        assertThat(m.version()).isEqualTo(3);
        assertThat(m.language()).isEqualTo("und");
        assertThat(m.items()).isNull();
        assertThat(m.files()).containsExactly(new PackManifest.FileEntry("a/b.html", 5, SHA));
    }

    @Test
    void keepsUnknownFieldsAndWritesThemBack() {
        PackManifest m = parse(manifest("\"zz-future\":{\"x\":[1,2]},\"aa-extra\":\"kept\","));
        String written = new String(ManifestCodec.write(m), StandardCharsets.UTF_8);
        assertThat(written).contains("\"zz-future\"").contains("\"aa-extra\" : \"kept\"");
        assertThat(parse(written)).isEqualTo(m);
    }

    @Test
    void canonicalFormIsStableWhateverTheInputOrder() {
        PackManifest a = parse("{\"title\":\"Maths\",\"version\":3,\"id\":\"maths-1\",\"format\":1,"
                + "\"files\":[{\"sha256\":\"" + SHA + "\",\"size\":5,\"path\":\"a/b.html\"}]}");
        PackManifest b = parse(manifest(""));
        assertThat(ManifestCodec.write(a)).isEqualTo(ManifestCodec.write(b));
        assertThat(ManifestCodec.digest(a)).isEqualTo(ManifestCodec.digest(b)).hasSize(64);
    }

    @Test
    void refusesAnUnknownFormatClearly() {
        assertThatThrownBy(() -> parse("{\"format\":3,\"id\":\"x\"}"))
                .isInstanceOf(PackException.class)
                .hasMessage("x.zip: pack.json: format 3 is not supported; this version of Offline Commons reads formats 1"
                        + " and 2");
    }

    @Test
    void formatTwoIsMetadataWithASummaryOfItsFileList() {
        String sha = "a".repeat(64);
        PackManifest m = parse("{\"format\":2,\"id\":\"x\",\"version\":3,\"title\":\"X\",\"fileList\":"
                + "{\"count\":2,\"size\":10,\"sha256\":\"" + sha + "\"},\"zz\":1}");
        assertThat(m.streamed()).isTrue();
        assertThat(m.fileCount()).isEqualTo(2);
        assertThat(m.totalSize()).isEqualTo(10);
        assertThat(new String(ManifestCodec.write(m), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"fileList\" : {").doesNotContain("\"files\"").contains("\"zz\" : 1");
        assertThat(ManifestCodec.parse(ManifestCodec.write(m), "again")).isEqualTo(m);
        assertThatThrownBy(() -> parse("{\"format\":2,\"id\":\"x\",\"version\":3,\"title\":\"X\"}"))
                .hasMessageContaining("field 'fileList' is missing");
        assertThatThrownBy(() -> parse("{\"format\":2,\"id\":\"x\",\"version\":3,\"title\":\"X\",\"fileList\":"
                + "{\"count\":-2,\"size\":10,\"sha256\":\"" + sha + "\"}}"))
                .hasMessageContaining("fileList: 'count' must be a whole number");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"id\":\"Maths\"|field 'id' must be 1 to 64 lowercase letters",
            "\"id\":\"-maths\"|field 'id' must be 1 to 64 lowercase letters",
            "\"version\":0|field 'version' must be a positive whole number",
            "\"version\":1.5|field 'version' must be a positive whole number",
            "\"version\":9223372036854775807|field 'version' must be at most 2147483647",
            "\"title\":\"  \"|field 'title' must not be empty",
            "\"language\":\"english!\"|field 'language' must be a language tag",
            "\"created\":\"yesterday\"|field 'created' must be an ISO-8601 date",
            "\"authors\":\"me\"|field 'authors' must be a list of names",
            "\"entry\":\"missing.html\"|field 'entry' names 'missing.html', which is not in 'files'",
            "\"items\":[{\"path\":\"a/b.html\",\"kind\":\"movie\"}]|kind 'movie' is not one of",
    })
    void namesTheFieldAndTheProblem(String override, String expected) {
        String key = override.substring(1, override.indexOf('"', 1));
        String json = "{\"format\":1,\"id\":\"maths\",\"version\":1,\"title\":\"Maths\","
                + "\"files\":[{\"path\":\"a/b.html\",\"size\":5,\"sha256\":\"" + SHA + "\"}]}";
        // Replace or add the field under test.
        json = json.replaceFirst("\"" + key + "\":(\"[^\"]*\"|[0-9.]+),?", "");
        json = "{" + override + "," + json.substring(1);
        String finalJson = json;
        assertThatThrownBy(() -> parse(finalJson)).isInstanceOf(PackException.class)
                .hasMessageStartingWith("x.zip: pack.json: ").hasMessageContaining(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "../etc/passwd|'..' segment",
            "/abs.html|absolute",
            "a\\\\b.html|backslash",
            "C:/x.html|drive letter",
            "a//b.html|empty segment",
            "pack.json|cannot list itself",
    })
    void refusesUnsafeFilePaths(String path, String expected) {
        String json = "{\"format\":1,\"id\":\"m\",\"version\":1,\"title\":\"M\",\"files\":[{\"path\":\"" + path
                + "\",\"size\":1,\"sha256\":\"" + SHA + "\"}]}";
        assertThatThrownBy(() -> parse(json)).isInstanceOf(PackException.class).hasMessageContaining(expected);
    }

    @Test
    void refusesDuplicatePathsBadHashesAndDuplicateKeys() {
        String dup = "{\"format\":1,\"id\":\"m\",\"version\":1,\"title\":\"M\",\"files\":["
                + "{\"path\":\"a\",\"size\":1,\"sha256\":\"" + SHA + "\"},{\"path\":\"a\",\"size\":1,\"sha256\":\"" + SHA + "\"}]}";
        assertThatThrownBy(() -> parse(dup)).hasMessageContaining("'a' is listed twice");
        String badHash = "{\"format\":1,\"id\":\"m\",\"version\":1,\"title\":\"M\",\"files\":["
                + "{\"path\":\"a\",\"size\":1,\"sha256\":\"ABC\"}]}";
        assertThatThrownBy(() -> parse(badHash)).hasMessageContaining("64 lowercase hexadecimal digits");
        assertThatThrownBy(() -> parse("{\"format\":1,\"format\":1}")).hasMessageContaining("not valid JSON");
    }

    @Test
    void refusesTextThatIsNotUtf8OrNotJson() {
        byte[] latin1 = "{\"title\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ManifestCodec.parse(latin1, "p.zip: pack.json")).hasMessage("p.zip: pack.json: is not UTF-8 text");
        assertThatThrownBy(() -> parse("[1,2]")).hasMessage("x.zip: pack.json: must be a JSON object");
        assertThatThrownBy(() -> parse("{\"format\":1")).hasMessageContaining("is not valid JSON");
    }
}
