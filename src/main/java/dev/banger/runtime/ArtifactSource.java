package dev.banger.runtime;

import dev.banger.model.ErrorKind;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where an artifact's bytes come from, parsed from the {@code source} string of the bundle spec:
 * {@code https://…}/{@code http://…} (downloaded), {@code file:///abs/path} (copied), or a recipe
 * {@code stage:debian-kernel/<output>}, {@code build:agent}, {@code generate:ssh-key/<output>}
 * (staged on this host). Immutable values.
 */
public sealed interface ArtifactSource {
    /** The source as written in the spec, for messages and the manifest. */
    String display();

    record Http(URI uri) implements ArtifactSource {
        @Override
        public String display() {
            return uri.toString();
        }

        /** The last path segment, used to name the cached download. */
        public String fileName() {
            String path = uri.getPath();
            String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
            return name.isBlank() ? "download" : name;
        }
    }

    record LocalFile(Path path) implements ArtifactSource {
        @Override
        public String display() {
            return path.toUri().toString();
        }
    }

    /** A recipe run on this host; {@code output} selects one of the files it produces (may be empty). */
    record Recipe(String kind, String name, String output) implements ArtifactSource {
        @Override
        public String display() {
            return kind + ":" + name + (output.isEmpty() ? "" : "/" + output);
        }
    }

    static ArtifactSource parse(String artifact, String source) {
        if (source == null || source.isBlank()) {
            throw invalid(artifact, source, "it is empty");
        }
        String s = source.strip();
        if (s.startsWith("https://") || s.startsWith("http://")) {
            try {
                return new Http(URI.create(s));
            } catch (IllegalArgumentException e) {
                throw invalid(artifact, s, e.getMessage());
            }
        }
        if (s.startsWith("file://")) {
            URI uri;
            try {
                uri = URI.create(s);
            } catch (IllegalArgumentException e) {
                throw invalid(artifact, s, e.getMessage());
            }
            if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
                throw invalid(artifact, s, "file:// sources need an absolute path (file:///abs/path)");
            }
            return new LocalFile(Path.of(uri.getPath()));
        }
        int colon = s.indexOf(':');
        if (colon > 0) {
            String kind = s.substring(0, colon);
            if (kind.equals("stage") || kind.equals("build") || kind.equals("generate")) {
                String rest = s.substring(colon + 1);
                int slash = rest.indexOf('/');
                String name = slash < 0 ? rest : rest.substring(0, slash);
                String output = slash < 0 ? "" : rest.substring(slash + 1);
                if (name.isBlank()) {
                    throw invalid(artifact, s, "the recipe name is missing");
                }
                return new Recipe(kind, name, output);
            }
        }
        throw invalid(artifact, s, "use https://…, http://…, file:///abs/path, stage:…, build:… or generate:…");
    }

    private static RuntimeBundleException invalid(String artifact, String source, String why) {
        return new RuntimeBundleException(ErrorKind.INVALID_ARGUMENT,
                "artifact '" + artifact + "' has an unusable source '" + source + "': " + why);
    }
}
