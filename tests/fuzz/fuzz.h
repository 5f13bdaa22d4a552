/*
 * fuzz.h - what the fuzz targets share.
 *
 * Each fuzz_*.c defines LLVMFuzzerTestOneInput(); built with clang's
 * -fsanitize=fuzzer it is a libFuzzer target (make fuzz), built with
 * replay.c it reads the seed corpus once (make fuzz-replay, make check).
 * A broken promise calls fuzz_fail(), which aborts: libFuzzer saves the
 * input as a crash, the replay exits non-zero.
 */
#ifndef COMPLAINT_FUZZ_H
#define COMPLAINT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The bundled default policy (cmd/defaults.S). */
extern const char cp_default_policy[], cp_default_policy_end[];

#define fuzz_fail(...) do { \
	fprintf(stderr, "fuzz: %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); \
	abort(); \
} while (0)

#endif
