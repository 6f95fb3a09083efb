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
        if (entry) unlink(entry);
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
