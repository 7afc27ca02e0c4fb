#define _GNU_SOURCE
#include "health.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MAX_SMALL_FILE 16384
#define MAX_HOST_KEYS 32
#define TCP_LISTEN 0x0A

struct service {
    const char *name;
    unsigned int port;
    bool listening;
};

static void path_join(char *out, size_t cap, const char *root, const char *path) {
    snprintf(out, cap, "%s%s", root, path);
}

/* Reads at most cap-1 bytes of a small file into out (NUL-terminated); returns length or -1. */
static ssize_t read_small(const char *path, char *out, size_t cap) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        return -1;
    }
    size_t len = 0;
    while (len < cap - 1) {
        ssize_t n = read(fd, out + len, cap - 1 - len);
        if (n < 0) {
            close(fd);
            return -1;
        }
        if (n == 0) {
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    out[len] = '\0';
    return (ssize_t)len;
}

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Trims in place and returns the start of the trimmed text; *n receives its length. */
static char *trim(char *s, size_t len, size_t *n) {
    while (len > 0 && is_space(s[len - 1])) {
        len--;
    }
    while (len > 0 && is_space(*s)) {
        s++;
        len--;
    }
    *n = len;
    return s;
}

static void json_file_string(struct buf *out, const char *root, const char *path) {
    char file[4096];
    char content[MAX_SMALL_FILE];
    path_join(file, sizeof file, root, path);
    ssize_t len = read_small(file, content, sizeof content);
    if (len < 0) {
        buf_puts(out, "null");
        return;
    }
    size_t n;
    char *s = trim(content, (size_t)len, &n);
    buf_json_string(out, s, n);
}

static void json_hostname(struct buf *out, const char *root) {
    char file[4096];
    char content[256];
    path_join(file, sizeof file, root, "/proc/sys/kernel/hostname");
    ssize_t len = read_small(file, content, sizeof content);
    if (len >= 0) {
        size_t n;
        char *s = trim(content, (size_t)len, &n);
        buf_json_string(out, s, n);
        return;
    }
    struct utsname uts;
    if (uname(&uts) == 0) {
        buf_json_string(out, uts.nodename, strlen(uts.nodename));
    } else {
        buf_puts(out, "null");
    }
}

static void json_uptime(struct buf *out, const char *root) {
    char file[4096];
    char content[128];
    path_join(file, sizeof file, root, "/proc/uptime");
    ssize_t len = read_small(file, content, sizeof content);
    if (len <= 0) {
        buf_puts(out, "null");
        return;
    }
    /* Copy the first field only if it is a plain decimal, so the output is always valid JSON. */
    size_t i = 0;
    size_t dots = 0;
    while (i < (size_t)len && ((content[i] >= '0' && content[i] <= '9') || content[i] == '.')) {
        dots += content[i] == '.';
        i++;
    }
    bool terminated = i == (size_t)len || is_space(content[i]);
    if (i == 0 || dots > 1 || content[0] == '.' || content[i - 1] == '.' || !terminated) {
        buf_puts(out, "null");
        return;
    }
    buf_append(out, content, i);
}

/* Marks services listening in one /proc/net/tcp-format file. */
static void scan_listeners(const char *root, const char *path, struct service *services, size_t count) {
    char file[4096];
    path_join(file, sizeof file, root, path);
    FILE *f = fopen(file, "re");
    if (f == NULL) {
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    bool header = true;
    while (getline(&line, &cap, f) >= 0) {
        if (header) {
            header = false;
            continue;
        }
        unsigned int port;
        unsigned int state;
        if (sscanf(line, " %*u: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x", &port, &state) != 2) {
            continue;
        }
        if (state != TCP_LISTEN) {
            continue;
        }
        for (size_t i = 0; i < count; i++) {
            if (services[i].port == port) {
                services[i].listening = true;
            }
        }
    }
    free(line);
    fclose(f);
}

static bool mounted(const char *root, const char *mount_point) {
    char file[4096];
    path_join(file, sizeof file, root, "/proc/self/mounts");
    FILE *f = fopen(file, "re");
    if (f == NULL) {
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    bool found = false;
    while (!found && getline(&line, &cap, f) >= 0) {
        char *save = NULL;
        char *device = strtok_r(line, " \t\n", &save);
        char *dir = device != NULL ? strtok_r(NULL, " \t\n", &save) : NULL;
        found = dir != NULL && strcmp(dir, mount_point) == 0;
    }
    free(line);
    fclose(f);
    return found;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_host_key_name(const char *name) {
    static const char prefix[] = "ssh_host_";
    static const char suffix[] = "_key.pub";
    size_t n = strlen(name);
    return n > strlen(prefix) + strlen(suffix) && strncmp(name, prefix, strlen(prefix)) == 0 &&
           strcmp(name + n - strlen(suffix), suffix) == 0;
}

static void json_host_keys(struct buf *out, const char *root) {
    char dir_path[4096];
    path_join(dir_path, sizeof dir_path, root, "/etc/ssh");
    buf_puts(out, "[");
    DIR *dir = opendir(dir_path);
    if (dir == NULL) {
        buf_puts(out, "]");
        return;
    }
    char *names[MAX_HOST_KEYS];
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && count < MAX_HOST_KEYS) {
        if (is_host_key_name(entry->d_name)) {
            names[count] = strdup(entry->d_name);
            if (names[count] != NULL) {
                count++;
            }
        }
    }
    closedir(dir);
    qsort(names, count, sizeof names[0], compare_names);
    bool first = true;
    for (size_t i = 0; i < count; i++) {
        char file[4096 + 256];
        char content[MAX_SMALL_FILE];
        snprintf(file, sizeof file, "%s/%s", dir_path, names[i]);
        ssize_t len = read_small(file, content, sizeof content);
        size_t n;
        char *s = len > 0 ? trim(content, (size_t)len, &n) : NULL;
        if (s != NULL && n > 0) {
            buf_puts(out, first ? "" : ",");
            buf_json_string(out, s, n);
            first = false;
        }
        free(names[i]);
    }
    buf_puts(out, "]");
}

bool health_render(const char *root, struct buf *out) {
    struct service services[] = {{"sshd", 22, false}, {"opencode", 4096, false}};
    size_t count = sizeof services / sizeof services[0];
    scan_listeners(root, "/proc/net/tcp", services, count);
    scan_listeners(root, "/proc/net/tcp6", services, count);

    buf_printf(out, "{\"status\":\"%s\",\"bootId\":", services[0].listening ? "ok" : "degraded");
    json_file_string(out, root, "/proc/sys/kernel/random/boot_id");
    buf_puts(out, ",\"uptimeSeconds\":");
    json_uptime(out, root);
    buf_puts(out, ",\"hostname\":");
    json_hostname(out, root);
    buf_puts(out, ",\"services\":{");
    for (size_t i = 0; i < count; i++) {
        buf_printf(out, "%s\"%s\":{\"port\":%u,\"listening\":%s}", i == 0 ? "" : ",", services[i].name,
                   services[i].port, services[i].listening ? "true" : "false");
    }
    buf_printf(out, "},\"workDisk\":{\"mountPoint\":\"/root\",\"mounted\":%s},\"hostKeys\":",
               mounted(root, "/root") ? "true" : "false");
    json_host_keys(out, root);
    buf_puts(out, ",\"agentVersion\":\"" AGENT_VERSION "\"}");
    return !out->overflow;
}
