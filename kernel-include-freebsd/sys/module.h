/* sys/module.h: kernel modules. DECLARE_MODULE names the module's moduledata_t; ksim's loader finds
 * it by the symbol __ksim_module_NAME and calls its event handler with MOD_LOAD, MOD_UNLOAD... */
#ifndef _SYS_MODULE_H_
#define _SYS_MODULE_H_
#include <sys/types.h>
typedef enum modeventtype {
	MOD_LOAD,
	MOD_UNLOAD,
	MOD_SHUTDOWN,
	MOD_QUIESCE
} modeventtype_t;
typedef struct module *module_t;
typedef int (*modeventhand_t)(module_t, int, void *);
typedef struct moduledata {
	const char *name;
	modeventhand_t evhand;
	void *priv;
} moduledata_t;
typedef union modspecific {
	int intval;
	u_int uintval;
	long longval;
	u_long ulongval;
} modspecific_t;
#define MODULE_VERSION(name, version)
#define MODULE_DEPEND(mod, dep, min, pref, max)
#define DECLARE_MODULE(name, data, sub, order) \
	moduledata_t *__ksim_module_##name = &(data)
#define DECLARE_MODULE_TIED DECLARE_MODULE
#endif
