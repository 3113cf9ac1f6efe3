/*
 * nf_tables over netlink, in the caller's network namespace: a table with an input base chain and
 * one "ip daddr X counter drop" rule (the shape iptables-nft gives `-A INPUT -d X/32 -j DROP`), and
 * the whole ruleset as text, for tests that compare it before and after C/R.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

struct msg { char buf[2048]; size_t len; };

static struct nlmsghdr *msg_new(struct msg *m, int type, int family, int flags, int seq)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(m->buf + m->len);
	struct nfgenmsg *g = NLMSG_DATA(h);

	memset(h, 0, NLMSG_LENGTH(sizeof(*g)));
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*g));
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	h->nlmsg_seq = seq;
	g->nfgen_family = family;
	g->res_id = htons(NFNL_SUBSYS_NFTABLES);
	return h;
}

static void msg_end(struct msg *m, struct nlmsghdr *h)
{
	m->len += NLMSG_ALIGN(h->nlmsg_len);
}

static struct nlattr *put(struct nlmsghdr *h, int type, const void *data, int len)
{
	struct nlattr *a = (struct nlattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (data)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void put_str(struct nlmsghdr *h, int type, const char *s)
{
	put(h, type, s, strlen(s) + 1);
}

static void put_u32(struct nlmsghdr *h, int type, uint32_t v)
{
	v = htonl(v);
	put(h, type, &v, 4);
}

static struct nlattr *nest(struct nlmsghdr *h, int type)
{
	return put(h, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct nlmsghdr *h, struct nlattr *a)
{
	a->nla_len = (char *)h + h->nlmsg_len - (char *)a;
}

/* An expression's list element with its name; its data and the element are closed by the caller. */
static struct nlattr *expr(struct nlmsghdr *h, const char *name)
{
	struct nlattr *e = nest(h, NFTA_LIST_ELEM);

	put_str(h, NFTA_EXPR_NAME, name);
	return e;
}

/* An expression of kind (meta, payload) loading register 1 with the u32 attributes load[] (type, value
 * pairs), then "cmp eq" of the register with value. */
static void load_cmp(struct nlmsghdr *h, const char *kind, const uint32_t *load, int nload,
		     const void *value, int len)
{
	struct nlattr *e = expr(h, kind), *d = nest(h, NFTA_EXPR_DATA), *e2, *d2, *v;

	for (int i = 0; i < nload; i += 2)
		put_u32(h, load[i], load[i + 1]);
	nest_end(h, d), nest_end(h, e);
	e2 = expr(h, "cmp");
	d2 = nest(h, NFTA_EXPR_DATA);
	put_u32(h, NFTA_CMP_SREG, NFT_REG_1);
	put_u32(h, NFTA_CMP_OP, NFT_CMP_EQ);
	v = nest(h, NFTA_CMP_DATA);
	put(h, NFTA_DATA_VALUE, value, len);
	nest_end(h, v), nest_end(h, d2), nest_end(h, e2);
}

static void rule_body(struct nlmsghdr *h, int family, const char *daddr)
{
	const uint32_t meta[] = { NFTA_META_DREG, NFT_REG_1, NFTA_META_KEY, NFT_META_NFPROTO };
	const uint32_t payload[] = { NFTA_PAYLOAD_DREG, NFT_REG_1, NFTA_PAYLOAD_BASE, NFT_PAYLOAD_NETWORK_HEADER,
				     NFTA_PAYLOAD_OFFSET, 16, NFTA_PAYLOAD_LEN, 4 };
	struct nlattr *list = nest(h, NFTA_RULE_EXPRESSIONS), *e, *d, *v, *vd;
	uint8_t ipv4 = NFPROTO_IPV4;
	struct in_addr a;

	inet_pton(AF_INET, daddr, &a);
	if (family == NFPROTO_INET)
		load_cmp(h, "meta", meta, 4, &ipv4, 1);
	load_cmp(h, "payload", payload, 8, &a, 4);
	e = expr(h, "counter");
	nest_end(h, e);
	e = expr(h, "immediate");
	d = nest(h, NFTA_EXPR_DATA);
	put_u32(h, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	v = nest(h, NFTA_IMMEDIATE_DATA);
	vd = nest(h, NFTA_DATA_VERDICT);
	put_u32(h, NFTA_VERDICT_CODE, NF_DROP);
	nest_end(h, vd), nest_end(h, v), nest_end(h, d), nest_end(h, e);
	nest_end(h, list);
}

/* Sends m and reads until every message numbered 1..last is acked: 0, or -1 with the first error. */
static int nl_batch(struct msg *m, int last)
{
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER), acked = 0, err = 0;
	char buf[8192];

	if (nl < 0 || send(nl, m->buf, m->len, 0) < 0)
		goto out;
	while (acked < last && !err) {
		ssize_t n = recv(nl, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
			if (h->nlmsg_type == NLMSG_ERROR) {
				err = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
				acked++;
			}
	}
out:
	if (nl >= 0)
		close(nl);
	if (err || acked < last)
		return errno = err ? err : EPROTO, -1;
	return 0;
}

/* Table table (created) and its base chain chain (filter, hook input, priority 0), created or, when
 * it exists, given this policy: messages 1 and 2 of a batch. */
static void table_chain(struct msg *m, int family, const char *table, const char *chain, int policy)
{
	const int nft = NFNL_SUBSYS_NFTABLES << 8;
	struct nlmsghdr *h;
	struct nlattr *hook;

	h = msg_new(m, nft | NFT_MSG_NEWTABLE, family, NLM_F_CREATE | NLM_F_ACK, 1);
	put_str(h, NFTA_TABLE_NAME, table);
	msg_end(m, h);
	h = msg_new(m, nft | NFT_MSG_NEWCHAIN, family, NLM_F_CREATE | NLM_F_ACK, 2);
	put_str(h, NFTA_CHAIN_TABLE, table);
	put_str(h, NFTA_CHAIN_NAME, chain);
	hook = nest(h, NFTA_CHAIN_HOOK);
	put_u32(h, NFTA_HOOK_HOOKNUM, NF_INET_LOCAL_IN);
	put_u32(h, NFTA_HOOK_PRIORITY, 0);
	nest_end(h, hook);
	put_u32(h, NFTA_CHAIN_POLICY, policy);
	put_str(h, NFTA_CHAIN_TYPE, "filter");
	msg_end(m, h);
}

int nft_drop_rule(int family, const char *table, const char *chain, const char *daddr)
{
	struct msg m = { .len = 0 };
	struct nlmsghdr *h;

	msg_end(&m, msg_new(&m, NFNL_MSG_BATCH_BEGIN, AF_UNSPEC, 0, 0));
	table_chain(&m, family, table, chain, NF_ACCEPT);
	h = msg_new(&m, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE, family,
		    NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK, 3);
	put_str(h, NFTA_RULE_TABLE, table);
	put_str(h, NFTA_RULE_CHAIN, chain);
	rule_body(h, family, daddr);
	msg_end(&m, h);
	msg_end(&m, msg_new(&m, NFNL_MSG_BATCH_END, AF_UNSPEC, 0, 4));
	return nl_batch(&m, 3);
}

int nft_chain_policy(int family, const char *table, const char *chain, int policy)
{
	struct msg m = { .len = 0 };

	msg_end(&m, msg_new(&m, NFNL_MSG_BATCH_BEGIN, AF_UNSPEC, 0, 0));
	table_chain(&m, family, table, chain, policy);
	msg_end(&m, msg_new(&m, NFNL_MSG_BATCH_END, AF_UNSPEC, 0, 3));
	return nl_batch(&m, 2);
}

/* "counter accept" closing a rule's expressions, then the list itself. */
static void counter_accept(struct nlmsghdr *h, struct nlattr *list)
{
	struct nlattr *e, *d, *v, *vd;

	e = expr(h, "counter");
	nest_end(h, e);
	e = expr(h, "immediate");
	d = nest(h, NFTA_EXPR_DATA);
	put_u32(h, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	v = nest(h, NFTA_IMMEDIATE_DATA);
	vd = nest(h, NFTA_DATA_VERDICT);
	put_u32(h, NFTA_VERDICT_CODE, NF_ACCEPT);
	nest_end(h, vd), nest_end(h, v), nest_end(h, d), nest_end(h, e);
	nest_end(h, list);
}

/* "ct state & states != 0 counter accept": ct loads the state bits, bitwise masks them, cmp neq 0. */
static void ct_rule_body(struct nlmsghdr *h, uint32_t states)
{
	struct nlattr *list = nest(h, NFTA_RULE_EXPRESSIONS), *e, *d, *v;
	uint32_t zero = 0;

	e = expr(h, "ct");
	d = nest(h, NFTA_EXPR_DATA);
	put_u32(h, NFTA_CT_KEY, NFT_CT_STATE);
	put_u32(h, NFTA_CT_DREG, NFT_REG_1);
	nest_end(h, d), nest_end(h, e);
	e = expr(h, "bitwise");
	d = nest(h, NFTA_EXPR_DATA);
	put_u32(h, NFTA_BITWISE_SREG, NFT_REG_1);
	put_u32(h, NFTA_BITWISE_DREG, NFT_REG_1);
	put_u32(h, NFTA_BITWISE_LEN, 4);
	v = nest(h, NFTA_BITWISE_MASK);
	put(h, NFTA_DATA_VALUE, &states, 4);   /* host order, as the ct state register holds it */
	nest_end(h, v);
	v = nest(h, NFTA_BITWISE_XOR);
	put(h, NFTA_DATA_VALUE, &zero, 4);
	nest_end(h, v);
	nest_end(h, d), nest_end(h, e);
	e = expr(h, "cmp");
	d = nest(h, NFTA_EXPR_DATA);
	put_u32(h, NFTA_CMP_SREG, NFT_REG_1);
	put_u32(h, NFTA_CMP_OP, NFT_CMP_NEQ);
	v = nest(h, NFTA_CMP_DATA);
	put(h, NFTA_DATA_VALUE, &zero, 4);
	nest_end(h, v), nest_end(h, d), nest_end(h, e);
	counter_accept(h, list);
}

/* iptables' "-m conntrack --ctstate STATES": the xtables match conntrack revision 3 through nft_compat. */
static void xt_rule_body(struct nlmsghdr *h, uint32_t states)
{
	struct nlattr *list = nest(h, NFTA_RULE_EXPRESSIONS), *e, *d;
	struct xt_conntrack_mtinfo3 info = { .state_mask = states, .match_flags = XT_CONNTRACK_STATE };

	e = expr(h, "match");
	d = nest(h, NFTA_EXPR_DATA);
	put_str(h, NFTA_MATCH_NAME, "conntrack");
	put_u32(h, NFTA_MATCH_REV, 3);
	put(h, NFTA_MATCH_INFO, &info, sizeof(info));
	nest_end(h, d), nest_end(h, e);
	counter_accept(h, list);
}

static int append_rule(int family, const char *table, const char *chain,
		       void (*body)(struct nlmsghdr *, uint32_t), uint32_t arg)
{
	struct msg m = { .len = 0 };
	struct nlmsghdr *h;

	msg_end(&m, msg_new(&m, NFNL_MSG_BATCH_BEGIN, AF_UNSPEC, 0, 0));
	table_chain(&m, family, table, chain, NF_ACCEPT);
	h = msg_new(&m, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE, family,
		    NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK, 3);
	put_str(h, NFTA_RULE_TABLE, table);
	put_str(h, NFTA_RULE_CHAIN, chain);
	body(h, arg);
	msg_end(&m, h);
	msg_end(&m, msg_new(&m, NFNL_MSG_BATCH_END, AF_UNSPEC, 0, 4));
	return nl_batch(&m, 3);
}

int nft_ct_accept_rule(int family, const char *table, const char *chain, uint32_t states)
{
	return append_rule(family, table, chain, ct_rule_body, states);
}

int nft_xt_conntrack_rule(int family, const char *table, const char *chain, uint32_t states)
{
	return append_rule(family, table, chain, xt_rule_body, states);
}

/* ---- reading the ruleset back ---- */

static __attribute__((format(printf, 3, 4))) void add(char *out, size_t len, const char *fmt, ...)
{
	size_t l = strlen(out);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out + l, len - l, fmt, ap);
	va_end(ap);
}

static uint32_t u32(const struct nlattr *a)
{
	return ntohl(*(uint32_t *)((char *)a + NLA_HDRLEN));
}

#define FOR_ATTR(a, start, rest) \
	for (struct nlattr *a = (start); (rest) >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && \
	     a->nla_len <= (rest); (rest) -= NLA_ALIGN(a->nla_len), a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
#define DATA(a) ((char *)(a) + NLA_HDRLEN)
#define TYPE(a) ((a)->nla_type & NLA_TYPE_MASK)

/* " name" of each expression, with a counter's packets: " counter:3". */
static void exprs(struct nlattr *list, char *out, size_t len)
{
	int rest = list->nla_len - NLA_HDRLEN;

	FOR_ATTR(e, (struct nlattr *)DATA(list), rest) {
		int r2 = e->nla_len - NLA_HDRLEN;
		const char *name = "?";
		unsigned long long packets = ~0ULL;

		FOR_ATTR(f, (struct nlattr *)DATA(e), r2) {
			int r3 = f->nla_len - NLA_HDRLEN;

			if (TYPE(f) == NFTA_EXPR_NAME)
				name = DATA(f);
			else if (TYPE(f) == NFTA_EXPR_DATA && !strcmp(name, "counter"))
				FOR_ATTR(g, (struct nlattr *)DATA(f), r3)
					if (TYPE(g) == NFTA_COUNTER_PACKETS)
						packets = be64toh(*(uint64_t *)DATA(g));
		}
		if (packets == ~0ULL)
			add(out, len, " %s", name);
		else
			add(out, len, " %s:%llu", name, packets);
	}
}

/* One table, chain or rule message as a line. */
static void line(struct nlmsghdr *h, int what, char *out, size_t len)
{
	struct nfgenmsg *g = NLMSG_DATA(h);
	int rest = h->nlmsg_len - NLMSG_LENGTH(sizeof(*g));
	static const char *const kinds[] = { "table", "chain", "rule" };

	add(out, len, "%s family %u", kinds[what], g->nfgen_family);
	FOR_ATTR(a, (struct nlattr *)((char *)g + NLMSG_ALIGN(sizeof(*g))), rest) {
		int t = TYPE(a), r2 = a->nla_len - NLA_HDRLEN;

		if ((what == 0 && t == NFTA_TABLE_NAME) || (what == 1 && (t == NFTA_CHAIN_TABLE || t == NFTA_CHAIN_NAME ||
		    t == NFTA_CHAIN_TYPE)) || (what == 2 && (t == NFTA_RULE_TABLE || t == NFTA_RULE_CHAIN)))
			add(out, len, " %s", DATA(a));
		else if (what == 1 && t == NFTA_CHAIN_POLICY)
			add(out, len, " policy %u", u32(a));
		else if (what == 1 && t == NFTA_CHAIN_HOOK)
			FOR_ATTR(k, (struct nlattr *)DATA(a), r2)
				add(out, len, " %s %d", TYPE(k) == NFTA_HOOK_HOOKNUM ? "hook" : "prio", (int)u32(k));
		else if (what == 2 && t == NFTA_RULE_EXPRESSIONS)
			exprs(a, out, len);
	}
	add(out, len, ";");
}

int nft_ruleset(char *out, size_t len)
{
	static const int types[] = { NFT_MSG_GETTABLE, NFT_MSG_GETCHAIN, NFT_MSG_GETRULE };
	int count = 0;

	out[0] = 0;
	for (int what = 0; what < 3; what++) {
		int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER), done = 0;
		struct msg m = { .len = 0 };
		char buf[16384];

		msg_end(&m, msg_new(&m, (NFNL_SUBSYS_NFTABLES << 8) | types[what], NFPROTO_UNSPEC, NLM_F_DUMP, 1));
		if (nl < 0 || send(nl, m.buf, m.len, 0) < 0)
			return -1;
		while (!done) {
			ssize_t n = recv(nl, buf, sizeof(buf), 0);

			if (n <= 0)
				return close(nl), -1;
			for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
				if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
					done = 1;
				else if (h->nlmsg_type == ((NFNL_SUBSYS_NFTABLES << 8) | (types[what] - 1)))
					line(h, what, out, len), count++;
		}
		close(nl);
	}
	return count;
}
