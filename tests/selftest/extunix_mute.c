#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "extunix.h"
#include "zdtm.h"

ZDTM_TEST(.doc = "self-test: says BEFORE to the runner's external unix peer but not AFTER, and passes (the runner's check of what the peer received must fail it)",
	  .flavors = ZDTM_FLAVOR_H, .flags = "extunix-peer");

int main(int argc, char **argv)
{
	struct sockaddr_un peer = { .sun_family = AF_UNIX };
	int sk;

	test_init(argc, argv);
	strcpy(peer.sun_path, ZDTM_EXTUNIX_NAME);   /* relative: the working directory's */
	sk = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (sk < 0 || connect(sk, (struct sockaddr *)&peer, sizeof(peer)) ||
	    send(sk, ZDTM_EXTUNIX_BEFORE, strlen(ZDTM_EXTUNIX_BEFORE), 0) < 0)
		return fail_errno("say BEFORE to the runner's peer");
	test_daemon();
	test_waitsig();
	return pass();
}
