/* What conftest/ must find in 6.18.35 (defconfig + veth, IPv6, netns), read in its headers: kernel_bind() takes a struct sockaddr_unsized * there. */
#define HAVE_FALLTHROUGH 1
/* HAVE_FAULT_ATTR_DNAME_DENTRY: absent */
#define HAVE_GENL_DUMP_CHECK_CONSISTENT_2ARGS 1
#define HAVE_GENL_FAMILY_POLICY 1
#define HAVE_GENL_INFO_EXTACK 1
#define HAVE_GENL_STRICT 1
#define HAVE_IN_DEV_FOR_EACH_IFA_RTNL 1
#define HAVE_IPV6_CHK_ADDR_SKIP_DEV 1
#define HAVE_KERNEL_GETSOCKNAME_LEN 1
#define HAVE_KTIME_GET_REAL_SECONDS 1
#define HAVE_NDISC_SEND_SKB 1
#define HAVE_NET_NS_INUM 1
/* HAVE_NET_OWNER_VE: absent */
#define HAVE_NET_RWSEM 1
#define HAVE_NLA_POLICY_MAX 1
#define HAVE_NL_SET_ERR_MSG_FMT 1
#define HAVE_PNEIGH_PROTOCOL 1
/* HAVE_REGISTER_NETDEVICE_NOTIFIER_RH: absent */
#define HAVE_SK_DATA_READY_SK 1
#define HAVE_SOCKADDR_UNSIZED 1
/* HAVE_VENET_MAP: absent */
/* HAVE_VE_VENET_DEV: absent */
/* HAVE_VE_VENET_DEV_VZ7: absent */
