/* ns/uns flavors: the namespace init (issue #3). Until then the flavors are refused. */
#include <stdio.h>
#include <stdlib.h>

#include "zdtm.h"
#include "lib.h"

void zdtm_enter_namespaces(const struct zdtm_args *args)
{
	(void)args;
	fprintf(stderr, "ERR: ZDTM_NEWNS: namespace flavors are not implemented yet\n");
	exit(ZDTM_EXIT_FAIL);
}
