/* What conftest/ must find in AlmaLinux 8.10's 4.18.0-553.66.1.el8_10 tree (RHEL config), read in its headers: RHEL 8 backported extack, strict validation, NLA_POLICY_MAX and NL_SET_ERR_MSG_FMT; no venet headers. */
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
/* HAVE_NDISC_SEND_SKB: absent */
#define HAVE_NET_NS_INUM 1
/* HAVE_NET_OWNER_VE: absent */
#define HAVE_NET_RWSEM 1
#define HAVE_NLA_POLICY_MAX 1
#define HAVE_NL_SET_ERR_MSG_FMT 1
#define HAVE_PNEIGH_PROTOCOL 1
/* HAVE_REGISTER_NETDEVICE_NOTIFIER_RH: absent */
#define HAVE_SK_DATA_READY_SK 1
/* HAVE_SOCKADDR_UNSIZED: absent */
/* HAVE_VENET_MAP: absent */
/* HAVE_VE_VENET_DEV: absent */
/* HAVE_VE_VENET_DEV_VZ7: absent */
