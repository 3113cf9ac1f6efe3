#include "zdtm.h"

ZDTM_TEST(.doc = "as inotify_system without deletions: an inotify instance watching a tree (a directory, a subdirectory, a file, a symlink itself): after C/R the watches are the same and opens, reads, writes, closes, attribute changes, creation and a move are reported in order",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NODEL
#include "inotify_system.c"
