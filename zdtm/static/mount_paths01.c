#include "zdtm.h"

ZDTM_TEST(.doc = "a tmpfs mount on a point whose name holds a newline (\\012 in mountinfo), beside a plainly named one: both mounts at their points with their options",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define VARIANT 1
#include "mount_paths.c"
