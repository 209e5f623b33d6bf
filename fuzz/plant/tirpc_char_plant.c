/* SPDX-License-Identifier: Apache-2.0 */
/* tirpc_char_plant.c: a planted bug in libtirpc's side, for the tests that
 * show the fast tier's one-sided check works (fuzz/tests/fast_tier_test.cpp,
 * <target>_tirpc_plant fuzz variants; docs/FUZZING.md). Linked into a test
 * program, these definitions of xdr_char and xdr_u_char take the place of
 * libtirpc's for the rpcgen code of that program (the executable's symbols
 * come first). With QEMUD_TIRPC_PLANT unset they do what libtirpc does:
 * the element word goes through xdr_int / xdr_u_int and its low 8 bits are
 * kept. With QEMUD_TIRPC_PLANT=second_byte a decoded word that is not the
 * canonical (or zero-extended) word of a byte keeps its second-lowest byte
 * instead: a lenient decoder whose reading is not the low-byte one. Never
 * linked into a product. */
#include <stdlib.h>
#include <string.h>

#include <rpc/rpc.h>

static int planted(void) {
    static int state = -1;
    if (state < 0) {
        const char* v = getenv("QEMUD_TIRPC_PLANT");
        state = v && strcmp(v, "second_byte") == 0;
    }
    return state;
}

bool_t xdr_char(XDR* xdrs, char* cp) {
    int i = *cp;
    if (!xdr_int(xdrs, &i)) return FALSE;
    if (xdrs->x_op == XDR_DECODE && planted() && i != (signed char)i && !(i >= 0x80 && i <= 0xFF)) i >>= 8;
    *cp = (char)i;
    return TRUE;
}

bool_t xdr_u_char(XDR* xdrs, u_char* cp) {
    u_int u = *cp;
    if (!xdr_u_int(xdrs, &u)) return FALSE;
    if (xdrs->x_op == XDR_DECODE && planted() && u > 0xFF) u >>= 8;
    *cp = (u_char)u;
    return TRUE;
}
