#define _GNU_SOURCE
#include "ports.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

int ports_find_by_name(const char *sysfs_class, const char *dev_dir, const char *name, char *out, size_t outlen) {
    DIR *dir = opendir(sysfs_class);
    if (dir == NULL) {
        return -1;
    }
    int found = -1;
    struct dirent *entry;
    while (found != 0 && (entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        char path[512];
        if (snprintf(path, sizeof path, "%s/%s/name", sysfs_class, entry->d_name) >= (int)sizeof path) {
            continue;
        }
        FILE *f = fopen(path, "r");
        if (f == NULL) {
            continue;
        }
        char port[256];
        size_t n = fread(port, 1, sizeof port - 1, f);
        fclose(f);
        port[n] = '\0';
        port[strcspn(port, "\n")] = '\0';
        if (strcmp(port, name) == 0) {
            int len = snprintf(out, outlen, "%s/%s", dev_dir, entry->d_name);
            found = (len > 0 && (size_t)len < outlen) ? 0 : -1;
            if (found != 0) {
                break;
            }
        }
    }
    closedir(dir);
    return found;
}
