// SPDX-License-Identifier: Apache-2.0
/* c_header_test.c: compiled with the C compiler against the header that
 * `qemud-golden --c-header` writes. Prints, per file (kind and framing
 * profile, as "libvirt-0.3/header"), the number of vectors,
 * of each result, and FNV-1a 64 checksums of the wires and canonical wires
 * in tcId order; c_header_test.py computes the same from the JSON files and
 * compares. Exit 1 if the header is inconsistent with itself. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "qemud_golden_vectors.h"

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n) {
    size_t i;
    for (i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* The files, as profile (NULL for the payload kinds) and kind. */
static const struct {
    const char *framing;
    const char *kind;
} files[] = {{"seed", "header"},
             {NULL, "client"},
             {NULL, "server"},
             {"seed", "client_message"},
             {"seed", "server_message"},
             {"libvirt-0.3", "header"},
             {"libvirt-0.3", "client_message"},
             {"libvirt-0.3", "server_message"}};

static int same_framing(const char *a, const char *b) {
    return (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
}

int main(void) {
    size_t k, i;
    int bad = 0;
    for (k = 0; k < sizeof files / sizeof files[0]; ++k) {
        unsigned long count = 0, valid = 0, invalid = 0, acceptable = 0, decode_only = 0;
        uint64_t wires = 0xcbf29ce484222325ULL, canonical = 0xcbf29ce484222325ULL;
        unsigned last_id = 0;
        for (i = 0; i < QEMUD_GOLDEN_VECTOR_COUNT; ++i) {
            const qemud_golden_vector *v = &qemud_golden_vectors[i];
            if (strcmp(v->kind, files[k].kind) != 0 || !same_framing(v->framing, files[k].framing)) continue;
            ++count;
            if (v->tc_id <= last_id) bad = 1; /* tcIds ascend within a kind */
            last_id = v->tc_id;
            if (strcmp(v->result, "valid") == 0) ++valid;
            else if (strcmp(v->result, "invalid") == 0) ++invalid;
            else if (strcmp(v->result, "acceptable") == 0) ++acceptable;
            else bad = 1;
            if ((v->wire == NULL) != (v->wire_len == 0)) bad = 1;
            if (strcmp(v->result, "acceptable") == 0 && v->flags[0] == '\0') bad = 1;
            wires = fnv1a(wires, v->wire, v->wire_len);
            wires = fnv1a(wires, (const unsigned char *)"|", 1);
            if (v->canonical_wire != NULL) {
                ++decode_only;
                canonical = fnv1a(canonical, v->canonical_wire, v->canonical_wire_len);
                canonical = fnv1a(canonical, (const unsigned char *)"|", 1);
            }
        }
        printf("%s%s%s count=%lu valid=%lu invalid=%lu acceptable=%lu decode_only=%lu wires=%016llx canonical=%016llx\n",
               files[k].framing && strcmp(files[k].framing, "seed") != 0 ? files[k].framing : "",
               files[k].framing && strcmp(files[k].framing, "seed") != 0 ? "/" : "", files[k].kind, count, valid, invalid, acceptable, decode_only, (unsigned long long)wires,
               (unsigned long long)canonical);
    }
    printf("protocol=%s\n", QEMUD_GOLDEN_PROTOCOL_SHA256);
    if (bad) fprintf(stderr, "c_header_test: the header is inconsistent\n");
    return bad;
}
