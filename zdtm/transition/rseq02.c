#include "zdtm.h"

ZDTM_TEST(.doc = "as rseq01, with the critical section's descriptor flagged RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT, "
		 "_ON_SIGNAL and _ON_MIGRATE: every commit counted once across the dump",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition", .features = "get_rseq_conf");

#define CS_FLAGS 7      /* RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT | _ON_SIGNAL | _ON_MIGRATE */
#include "rseq01.c"
