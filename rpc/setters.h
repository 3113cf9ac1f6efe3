/* The setters behind options.c's table (setters.c): 0, or an exit status after one line on stderr. */
#ifndef ZDTM_RPC_SETTERS_H
#define ZDTM_RPC_SETTERS_H

#include "shim.h"

int set_tree(struct shim *s, const char *arg);
int set_images_dir(struct shim *s, const char *arg);
int set_log_file(struct shim *s, const char *arg);
int set_verbosity(struct shim *s, const char *arg);
int set_timeout(struct shim *s, const char *arg);
int set_ghost_limit(struct shim *s, const char *arg);
int set_manage_cgroups(struct shim *s, const char *arg);
int set_cgroup_root(struct shim *s, const char *arg);
int set_network_lock(struct shim *s, const char *arg);
int set_pre_dump_mode(struct shim *s, const char *arg);
int set_empty_ns(struct shim *s, const char *arg);
int set_join_ns(struct shim *s, const char *arg);
int set_external(struct shim *s, const char *arg);
int set_inherit_fd(struct shim *s, const char *arg);
int set_freeze_cgroup(struct shim *s, const char *arg);
int set_prev_images_dir(struct shim *s, const char *arg);
int set_root(struct shim *s, const char *arg);
int set_address(struct shim *s, const char *arg);
int set_port(struct shim *s, const char *arg);
int set_page_server(struct shim *s, const char *arg);
int set_pidfile(struct shim *s, const char *arg);
int set_sibling(struct shim *s, const char *arg);
int set_script(struct shim *s, const char *arg);
int set_accepted(struct shim *s, const char *arg);
/* What needs every option first: the page server's address and port, the log's place. */
int setters_finish(struct shim *s);

#endif
