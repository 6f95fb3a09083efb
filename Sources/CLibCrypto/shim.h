/* OpenSSL's libcrypto: the EVP digest interface (SHA-256 with the CPU's SHA/AVX2 code paths). */
#include <openssl/evp.h>
