package dev.banger.vmm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The comparison behind {@link FirecrackerReferenceAgreementTest}, on small inline documents: it
 * must find each kind of disagreement, or that test could pass against any official document.
 */
class ReferenceAgreementTest {
    /** Plays the official document; each test derives a reference from it with one change. */
    private static final String OFFICIAL = """
            swagger: "2.0"
            info:
              version: 1.16.1
            paths:
              /drives/{drive_id}:
                put:
                  summary: Creates a drive. Pre-boot only.
                  parameters:
                    - name: drive_id
                      in: path
                      required: true
                      type: string
                    - name: body
                      in: body
                      required: true
                      schema:
                        $ref: "#/definitions/Drive"
                  responses:
                    204:
                      description: done
                    400:
                      description: refused
                      schema:
                        $ref: "#/definitions/Error"
            definitions:
              Error:
                type: object
                properties:
                  fault_message: {type: string}
              Drive:
                type: object
                required: [drive_id]
                properties:
                  drive_id: {type: string}
                  cache_type: {type: string, enum: [Unsafe, Writeback]}
                  rate_limiter: {$ref: "#/definitions/RateLimiter"}
              RateLimiter:
                type: object
                properties:
                  bandwidth: {$ref: "#/definitions/TokenBucket"}
              TokenBucket:
                type: object
                required: [size]
                properties:
                  size: {type: integer, format: int64, minimum: 0}
                  refill_time: {type: integer, format: int64, minimum: 0}
            """;

    /** The official document as the project would write it: descriptions its own, objects closed, phases marked. */
    private static final String REFERENCE = OFFICIAL
            .replace("summary: Creates a drive. Pre-boot only.", "summary: Adds a block device.\n      x-banger-phase: pre-boot")
            .replace("      description: done", "      description: Accepted.")
            .replace("    type: object\n", "    type: object\n    additionalProperties: false\n");

    @Test
    void referenceThatOnlyRewordsAndClosesTheOfficialSchemasAgrees() {
        assertThat(REFERENCE).isNotEqualTo(OFFICIAL).contains("additionalProperties: false", "x-banger-phase");

        assertThat(differences(REFERENCE)).isEmpty();
    }

    @Test
    void pathMissingFromTheOfficialDocumentIsReported() {
        assertThat(differences(REFERENCE.replace("/drives/{drive_id}:", "/disks/{drive_id}:")))
                .contains("/disks/{drive_id}: path is not in the official document");
    }

    @Test
    void methodMissingFromTheOfficialDocumentIsReported() {
        assertThat(differences(REFERENCE.replace("    put:", "    patch:")))
                .contains("PATCH /drives/{drive_id}: method is not in the official document");
    }

    @Test
    void differingTypeOfANestedDefinitionsFieldIsReported() {
        assertThat(differences(REFERENCE.replace("size: {type: integer,", "size: {type: string,")))
                .containsExactly("PUT /drives/{drive_id} body.rate_limiter.bandwidth.size: type is \"string\" in the"
                        + " reference but \"integer\" in the official document");
    }

    @Test
    void differingBoundOrFormatIsReported() {
        assertThat(differences(REFERENCE.replace("refill_time: {type: integer, format: int64, minimum: 0}",
                "refill_time: {type: integer, format: int32, minimum: 1}")))
                .containsExactlyInAnyOrder(
                        "PUT /drives/{drive_id} body.rate_limiter.bandwidth.refill_time: format is \"int32\" in the"
                                + " reference but \"int64\" in the official document",
                        "PUT /drives/{drive_id} body.rate_limiter.bandwidth.refill_time: minimum is 1 in the"
                                + " reference but 0 in the official document");
    }

    @Test
    void differingEnumIsReported() {
        assertThat(differences(REFERENCE.replace("enum: [Unsafe, Writeback]", "enum: [Unsafe, Writethrough]")))
                .containsExactly("PUT /drives/{drive_id} body.cache_type: enum differs: only in the reference"
                        + " [Writethrough], only in the official document [Writeback]");
    }

    @Test
    void differingRequiredFlagIsReportedBothWays() {
        assertThat(differences(REFERENCE.replace("required: [drive_id]", "required: [drive_id, cache_type]")))
                .containsExactly("PUT /drives/{drive_id} body.cache_type: required in the reference but not"
                        + " required in the official document");
        assertThat(differences(REFERENCE.replace("required: [size]", "required: []")))
                .containsExactly("PUT /drives/{drive_id} body.rate_limiter.bandwidth.size: not required in the"
                        + " reference but required in the official document");
    }

    @Test
    void fieldMissingOnEitherSideIsReported() {
        assertThat(differences(REFERENCE.replace("drive_id: {type: string}", "drive_id: {type: string}\n      partuuid: {type: string}")))
                .containsExactly("PUT /drives/{drive_id} body.partuuid: field is not in the official document");
        assertThat(differences(REFERENCE.replace("      cache_type: {type: string, enum: [Unsafe, Writeback]}\n", "")))
                .containsExactly("PUT /drives/{drive_id} body.cache_type: the official document has this field,"
                        + " the reference lacks it (and so refuses it)");
    }

    @Test
    void responseCodeOrParameterTheOfficialDocumentLacksIsReported() {
        assertThat(differences(REFERENCE.replace("        204:", "        202:\n          description: later\n        204:")))
                .containsExactly("PUT /drives/{drive_id}: response 202 is not in the official document");
        assertThat(differences(REFERENCE.replace("- name: drive_id", "- name: id")))
                .contains("PUT /drives/{drive_id}: parameter path id is not in the official document",
                        "PUT /drives/{drive_id}: the official document requires parameter path drive_id, the reference lacks it");
    }

    @Test
    void phaseContradictingTheOfficialSummaryIsReported() {
        assertThat(differences(REFERENCE.replace("x-banger-phase: pre-boot", "x-banger-phase: any")))
                .containsExactly("PUT /drives/{drive_id}: the official document says pre-boot only, the reference"
                        + " says x-banger-phase: any");
    }

    @Test
    void referenceForAnotherFirecrackerVersionIsReported() {
        assertThat(differences(REFERENCE.replace("version: 1.16.1", "version: 1.15.0")))
                .containsExactly("info.version: the reference describes Firecracker 1.15.0, the official document 1.16.1");
    }

    private static List<String> differences(String reference) {
        JsonNode ours = ApiDocument.parse(reference);
        JsonNode theirs = ApiDocument.parse(OFFICIAL);
        return ReferenceAgreement.differences(ours, theirs);
    }
}
