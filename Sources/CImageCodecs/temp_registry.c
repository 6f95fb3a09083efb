/* Temporary files of this process that a SIGINT/SIGTERM/SIGHUP must not leave behind.
 *
 * Writers register each temporary file while it exists and unregister it once it is renamed
 * into place or removed. The signal handler only calls unlink and _exit, which are
 * async-signal-safe; the slots are atomic pointers, so the handler never sees a torn entry. */
#include "cimagecodecs.h"
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>

/* Empties a flat folder (a registered temporary folder: the workstation's clip frames) and
 * removes it, with system calls only (open, getdents64, unlinkat, rmdir), as a signal handler may. */
static void remove_flat_folder(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;
    char buffer[4096] __attribute__((aligned(8)));
    for (int pass = 0; pass < 1000; pass++) {
        lseek(fd, 0, SEEK_SET);
        long count = syscall(SYS_getdents64, fd, buffer, sizeof buffer);
        int removed = 0;
        for (long offset = 0; offset < count;) {
            /* struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name */
            unsigned short length;
            memcpy(&length, buffer + offset + 16, sizeof length);
            const char *name = buffer + offset + 19;
            if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0 && unlinkat(fd, name, 0) == 0) removed++;
            offset += length;
        }
        if (count <= 0 || removed == 0) break;
    }
    close(fd);
    rmdir(path);
}

enum { TEMP_SLOTS = 64 };
static _Atomic(char *) temp_slots[TEMP_SLOTS];

int cic_temp_register(const char *path) {
    char *copy = strdup(path);
    if (!copy) return -1;
    for (int i = 0; i < TEMP_SLOTS; i++) {
        char *expected = NULL;
        if (atomic_compare_exchange_strong(&temp_slots[i], &expected, copy)) return 0;
    }
    free(copy);
    return -1;
}

void cic_temp_unregister(const char *path) {
    for (int i = 0; i < TEMP_SLOTS; i++) {
        char *entry = atomic_load(&temp_slots[i]);
        if (entry && strcmp(entry, path) == 0) {
            if (atomic_compare_exchange_strong(&temp_slots[i], &entry, NULL)) free(entry);
            return;
        }
    }
}

/* Child processes (ffmpeg) that must not outlive this one: a signal kills them first. */
enum { CHILD_SLOTS = 16 };
static _Atomic int child_slots[CHILD_SLOTS];

int cic_child_register(int pid) {
    for (int i = 0; i < CHILD_SLOTS; i++) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&child_slots[i], &expected, pid)) return 0;
    }
    return -1;
}

void cic_child_unregister(int pid) {
    for (int i = 0; i < CHILD_SLOTS; i++) {
        int expected = pid;
        if (atomic_compare_exchange_strong(&child_slots[i], &expected, 0)) return;
    }
}

void cic_temp_remove_all(void) {
    for (int i = 0; i < CHILD_SLOTS; i++) {
        int pid = atomic_load(&child_slots[i]);
        if (pid > 0) kill(pid, SIGKILL);
    }
    for (int i = 0; i < TEMP_SLOTS; i++) {
        char *entry = atomic_load(&temp_slots[i]);
        if (entry && unlink(entry) != 0 && (errno == EISDIR || errno == EPERM)) remove_flat_folder(entry);
    }
}

static void remove_temporaries_and_exit(int signal_number) {
    cic_temp_remove_all();
    _exit(128 + signal_number);
}

void cic_temp_cleanup_on_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = remove_temporaries_and_exit;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

unsigned cic_temp_host_tag(void) {
    char name[256] = {0};
    if (gethostname(name, sizeof name - 1) != 0) name[0] = 0;
    unsigned hash = 2166136261u;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) hash = (hash ^ *c) * 16777619u;
    return hash;
}
