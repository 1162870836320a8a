/* SPDX-License-Identifier: GPL-2.0 */
/* The IP map has the same names on vz8 as on vz7. */
#include "../../include/linux/venet.h"
