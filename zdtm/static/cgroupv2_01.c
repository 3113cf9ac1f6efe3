#include "zdtm.h"

ZDTM_TEST(.doc = "threads of the test in different threaded cgroup2 cgroups (cgroup.type threaded below a \"domain threaded\" one of the test's own, on the unified hierarchy): every thread in its cgroup, the types kept after C/R",
	  .flavors = ZDTM_FLAVOR_H, .flags = "suid nofreezecg", .opts = "--manage-cgroups");

#define HIER "unified"
#define CONTROLLER ""
#define THREADS "cgroup.threads"
#define THREADED 1
#include "cgroup_threads.c"
