/* What conftest/ must find in RHEL 7.9's 3.10.0-1160.el7 tree (RHEL's x86_64 config), read in its headers: the base of OpenVZ 7's vzkernel, without vzkernel's venet headers. */
/* HAVE_FALLTHROUGH: absent */
/* HAVE_FAULT_ATTR_DNAME_DENTRY: absent */
/* HAVE_GENL_DUMP_CHECK_CONSISTENT_2ARGS: absent */
/* HAVE_GENL_FAMILY_POLICY: absent */
/* HAVE_GENL_INFO_EXTACK: absent */
/* HAVE_GENL_STRICT: absent */
/* HAVE_IN_DEV_FOR_EACH_IFA_RTNL: absent */
/* HAVE_IPV6_CHK_ADDR_SKIP_DEV: absent */
/* HAVE_KERNEL_GETSOCKNAME_LEN: absent */
/* HAVE_KTIME_GET_REAL_SECONDS: absent */
/* HAVE_NDISC_SEND_SKB: absent */
/* HAVE_NET_NS_INUM: absent */
/* HAVE_NET_OWNER_VE: absent */
/* HAVE_NET_RWSEM: absent */
/* HAVE_NLA_POLICY_MAX: absent */
/* HAVE_NL_SET_ERR_MSG_FMT: absent */
/* HAVE_PNEIGH_PROTOCOL: absent */
#define HAVE_REGISTER_NETDEVICE_NOTIFIER_RH 1
/* HAVE_SK_DATA_READY_SK: absent */
/* HAVE_SOCKADDR_UNSIZED: absent */
/* HAVE_VENET_MAP: absent */
/* HAVE_VE_VENET_DEV: absent */
/* HAVE_VE_VENET_DEV_VZ7: absent */
