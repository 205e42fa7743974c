#ifndef BAYAN_CZLIB_SHIM_H
#define BAYAN_CZLIB_SHIM_H

#include <zlib.h>

/* inflateInit2 is a macro, which Swift cannot import; 16 + MAX_WBITS asks for gzip framing. */
static inline int CZlib_inflateInitGzip(z_streamp stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}

#endif
