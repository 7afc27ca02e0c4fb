package dev.banger.vmm.firecracker;

import java.util.Objects;

/**
 * One request to Firecracker's API: method, path and the record serialised as its JSON body.
 * Planned by {@link FirecrackerPlan}, sent by {@link FirecrackerApiClient}. Immutable value.
 *
 * @param method HTTP method, e.g. {@code PUT}
 * @param path   absolute API path, e.g. {@code /drives/root}
 * @param body   the body (one of this package's config records)
 */
public record ApiCall(String method, String path, Object body) {
    public ApiCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("an API path starts with '/', got " + path);
        }
    }

    static ApiCall put(String path, Object body) {
        return new ApiCall("PUT", path, body);
    }

    static ApiCall patch(String path, Object body) {
        return new ApiCall("PATCH", path, body);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
