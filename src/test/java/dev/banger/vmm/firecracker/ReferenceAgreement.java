package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the project's Firecracker API reference with Firecracker's official document (both
 * Swagger 2.0, parsed with {@link ApiDocument#parse}) and lists every disagreement. Every path,
 * method, parameter and response code of the reference must be in the official document, and
 * every schema reached from them (following {@code $ref}s into nested definitions) must match
 * field for field: the same fields both ways (the reference closes each object with
 * {@code additionalProperties: false}, so a field it lacked would be refused although Firecracker
 * takes it), and per field the same type, format, enum values, bounds, default and required flag.
 * Where the official summary says "Pre-boot only" or "Post-boot only", the reference's
 * {@code x-banger-phase} must say the same. Descriptions and {@code x-} extensions are the
 * reference's own and are not compared. Pure and stateless.
 */
final class ReferenceAgreement {
    /** Schema keywords that change what a value may be; each must be equal on both sides. */
    private static final List<String> KEYWORDS = List.of("type", "format", "minimum", "maximum", "default", "readOnly");

    private final JsonNode reference;
    private final JsonNode official;
    private final List<String> differences = new ArrayList<>();
    /** Pairs of definitions already compared, so recursive definitions end. */
    private final Set<String> compared = new HashSet<>();

    private ReferenceAgreement(JsonNode reference, JsonNode official) {
        this.reference = reference;
        this.official = official;
    }

    /** Every way {@code reference} disagrees with {@code official}, each naming where; empty when they agree. */
    static List<String> differences(JsonNode reference, JsonNode official) {
        ReferenceAgreement agreement = new ReferenceAgreement(reference, official);
        agreement.compareDocuments();
        return List.copyOf(agreement.differences);
    }

    private void compareDocuments() {
        String ours = reference.path("info").path("version").asText();
        String theirs = official.path("info").path("version").asText();
        if (!ours.equals(theirs)) {
            differ("info.version", "the reference describes Firecracker " + ours + ", the official document " + theirs);
        }
        for (Map.Entry<String, JsonNode> path : fields(reference.path("paths"))) {
            JsonNode officialPath = official.path("paths").path(path.getKey());
            if (officialPath.isMissingNode()) {
                differ(path.getKey(), "path is not in the official document");
                continue;
            }
            for (Map.Entry<String, JsonNode> op : fields(path.getValue())) {
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode officialOp = officialPath.path(op.getKey());
                if (officialOp.isMissingNode()) {
                    differ(where, "method is not in the official document");
                    continue;
                }
                compareOperation(where, op.getValue(), officialOp);
            }
        }
    }

    private void compareOperation(String where, JsonNode ours, JsonNode theirs) {
        String summary = theirs.path("summary").asText();
        String phase = ours.path(BootPhaseRules.PHASE).asText();
        if (summary.contains("Pre-boot only") && !phase.equals("pre-boot")) {
            differ(where, "the official document says pre-boot only, the reference says " + BootPhaseRules.PHASE + ": " + phase);
        }
        if (summary.contains("Post-boot only") && !phase.equals("post-boot")) {
            differ(where, "the official document says post-boot only, the reference says " + BootPhaseRules.PHASE + ": " + phase);
        }
        for (JsonNode param : ours.path("parameters")) {
            String name = "parameter " + param.path("in").asText() + " " + param.path("name").asText();
            JsonNode match = parameter(theirs, param);
            if (match == null) {
                differ(where, name + " is not in the official document");
                continue;
            }
            compareFlag(where + " " + name, "required", param.path("required").asBoolean(false),
                    match.path("required").asBoolean(false));
            if (param.path("in").asText().equals("body")) {
                compareSchema(where + " body", param.path("schema"), match.path("schema"));
            } else {
                compareKeywords(where + " " + name, param, match);
            }
        }
        for (JsonNode param : theirs.path("parameters")) {
            if (param.path("required").asBoolean(false) && parameter(ours, param) == null) {
                differ(where, "the official document requires parameter " + param.path("in").asText() + " "
                        + param.path("name").asText() + ", the reference lacks it");
            }
        }
        for (Map.Entry<String, JsonNode> response : fields(ours.path("responses"))) {
            String code = "response " + response.getKey();
            JsonNode match = theirs.path("responses").path(response.getKey());
            if (match.isMissingNode()) {
                differ(where, code + " is not in the official document");
            } else if (response.getValue().has("schema") || match.has("schema")) {
                compareSchema(where + " " + code, response.getValue().path("schema"), match.path("schema"));
            }
        }
    }

    /** The parameter of {@code operation} that is {@code param}: the body by position, others by name. */
    private static JsonNode parameter(JsonNode operation, JsonNode param) {
        String in = param.path("in").asText();
        for (JsonNode candidate : operation.path("parameters")) {
            // A body's name is only a label in the document; on the wire there is one body.
            if (candidate.path("in").asText().equals(in)
                    && (in.equals("body") || candidate.path("name").asText().equals(param.path("name").asText()))) {
                return candidate;
            }
        }
        return null;
    }

    private void compareSchema(String where, JsonNode ours, JsonNode theirs) {
        String ourRef = ours.path("$ref").asText(null);
        String theirRef = theirs.path("$ref").asText(null);
        if (ourRef != null || theirRef != null) {
            // A definition reached twice is compared once; a recursive one ends here.
            if (!compared.add(ourRef + " = " + theirRef)) {
                return;
            }
        }
        JsonNode a = resolve(reference, ours, where);
        JsonNode b = resolve(official, theirs, where);
        if (a == null || b == null) {
            return;
        }
        if (a.isMissingNode() != b.isMissingNode()) {
            differ(where, a.isMissingNode() ? "the official document has a schema, the reference none"
                    : "the reference has a schema, the official document none");
            return;
        }
        compareKeywords(where, a, b);
        compareEnum(where, a, b);
        if (a.has("items") || b.has("items")) {
            compareSchema(where + "[]", a.path("items"), b.path("items"));
        }
        JsonNode theirExtra = b.path("additionalProperties");
        // Only an explicit allowance counts: Firecracker refuses unknown fields where its document is silent.
        boolean theyAllowMore = theirExtra.isObject() || theirExtra.asBoolean(false);
        if (theyAllowMore && !a.path("additionalProperties").asBoolean(true)) {
            differ(where, "the official document allows fields beyond its properties, the reference does not");
        }
        Set<String> names = new LinkedHashSet<>();
        a.path("properties").fieldNames().forEachRemaining(names::add);
        b.path("properties").fieldNames().forEachRemaining(names::add);
        Set<String> ourRequired = texts(a.path("required"));
        Set<String> theirRequired = texts(b.path("required"));
        for (String name : names) {
            String field = where + "." + name;
            JsonNode ourField = a.path("properties").path(name);
            JsonNode theirField = b.path("properties").path(name);
            if (theirField.isMissingNode()) {
                differ(field, "field is not in the official document");
            } else if (ourField.isMissingNode()) {
                differ(field, "the official document has this field, the reference lacks it (and so refuses it)");
            } else {
                compareFlag(field, "required", ourRequired.contains(name), theirRequired.contains(name));
                compareSchema(field, ourField, theirField);
            }
        }
        for (String name : ourRequired) {
            if (!names.contains(name)) {
                differ(where + "." + name, "required but not a property in the reference");
            }
        }
    }

    /** The schema itself, or the definition it {@code $ref}s; null (after reporting) for a broken ref. */
    private JsonNode resolve(JsonNode document, JsonNode schema, String where) {
        String ref = schema.path("$ref").asText(null);
        if (ref == null) {
            return schema;
        }
        String prefix = "#/definitions/";
        JsonNode target = ref.startsWith(prefix) ? document.path("definitions").path(ref.substring(prefix.length()))
                : document.at(ref.substring(1));
        if (target.isMissingNode()) {
            differ(where, (document == reference ? "the reference's " : "the official document's ") + "$ref " + ref
                    + " names nothing");
            return null;
        }
        return target;
    }

    private void compareKeywords(String where, JsonNode ours, JsonNode theirs) {
        for (String keyword : KEYWORDS) {
            JsonNode a = ours.path(keyword);
            JsonNode b = theirs.path(keyword);
            // Numbers compare by value: 1 and 1.0 are the same bound.
            boolean same = a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) == 0
                    : a.equals(b);
            if (!same) {
                differ(where, keyword + " is " + shown(a) + " in the reference but " + shown(b) + " in the official document");
            }
        }
    }

    private void compareEnum(String where, JsonNode ours, JsonNode theirs) {
        Set<String> a = texts(ours.path("enum"));
        Set<String> b = texts(theirs.path("enum"));
        if (!a.equals(b)) {
            Set<String> onlyOurs = new TreeSet<>(a);
            onlyOurs.removeAll(b);
            Set<String> onlyTheirs = new TreeSet<>(b);
            onlyTheirs.removeAll(a);
            differ(where, "enum differs: only in the reference " + onlyOurs + ", only in the official document " + onlyTheirs);
        }
    }

    private void compareFlag(String where, String flag, boolean ours, boolean theirs) {
        if (ours != theirs) {
            differ(where, (ours ? "" : "not ") + flag + " in the reference but " + (theirs ? "" : "not ") + flag
                    + " in the official document");
        }
    }

    private void differ(String where, String what) {
        differences.add(where + ": " + what);
    }

    private static String shown(JsonNode value) {
        return value.isMissingNode() ? "absent" : value.toString();
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> texts = new TreeSet<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }

    /** An object's fields except the {@code x-} extensions (and a path's shared parameters). */
    private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().startsWith("x-") && !field.getKey().equals("parameters")) {
                fields.add(field);
            }
        }
        return fields;
    }
}
