/* What conftest/ must find in Debian 12's 6.1 headers (tests/dkms/conftest.sh). */
#define HAVE_GENL_FAMILY_POLICY 1
#define HAVE_GENL_INFO_EXTACK 1
#define HAVE_IN_DEV_FOR_EACH_IFA_RTNL 1
#define HAVE_NET_NS_INUM 1
#define HAVE_NET_RWSEM 1
/* HAVE_NL_SET_ERR_MSG_FMT: absent */
/* HAVE_REGISTER_NETDEVICE_NOTIFIER_RH: absent */
/* HAVE_VENET_MAP: absent */
/* HAVE_VE_VENET_DEV: absent */
/* HAVE_VE_VENET_DEV_VZ7: absent */
