/*
 * init.c - the program the kernel runs as init, and whether it can.
 *
 * kernel_init (init/main.c) runs init= if given, and panics with
 * "Requested init X failed (error N)." if exec fails; otherwise
 * CONFIG_DEFAULT_INIT if set, then /sbin/init, /etc/init, /bin/init and
 * /bin/sh, moving on from each whose exec fails (saying "Starting init: X
 * exists but couldn't execute it (error N)" unless it is ENOENT), and
 * panics with "No working init found." after the last.
 *
 * exec fails when the file is not a regular file with an execute bit
 * (EACCES), is neither ELF nor a #! script (ENOEXEC), is an ELF whose
 * interpreter (PT_INTERP, the dynamic loader) is missing, or a script whose
 * interpreter is missing (ENOENT).  A missing shared library is not an exec
 * failure: exec succeeds, the loader then exits with status 127, and the
 * kernel does not move on -- init has died, and it panics with "Attempted
 * to kill init! exitcode=0x00007f00".  Each is checked here, for init and
 * for a script's interpreter, one level deep.
 */
#include "parts.h"

#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "disk/partfs.h"

#define BINPRM_BUF_SIZE     256   /* what the kernel reads to pick a format (include/linux/binfmts.h) */
#define MAX_PROGRAM_HEADERS 128
#define MAX_DYNAMIC_BYTES   (64u << 10)
#define MAX_STRTAB_BYTES    (1u << 20)
#define DEFAULT_INIT_LINE   "\nCONFIG_DEFAULT_INIT=\""
#define MAX_LIBRARY_FINDINGS 5    /* per program: a missing libc makes enough noise */

/*
 * Where glibc's loader finds libraries without an ld.so.cache: its trusted
 * directories, which on Debian's multiarch layout include the
 * x86_64-linux-gnu ones (and i386-linux-gnu for 32-bit programs).  A small
 * root filesystem rarely has a cache, so these are what count.
 */
static const char *const library_dirs[] = {
	"/lib", "/lib64", "/usr/lib", "/usr/lib64",
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
	"/lib/i386-linux-gnu", "/usr/lib/i386-linux-gnu",
};

enum program_verdict {
	PROGRAM_MISSING,       /* ENOENT: the kernel tries the next candidate quietly */
	PROGRAM_BROKEN,        /* exec fails: findings say why; the next candidate is tried */
	PROGRAM_DIES,          /* exec succeeds, the dynamic loader exits 127: init is dead */
	PROGRAM_RUNS,
};

/* The loader's exit status when a library is missing, as the kernel
 * prints a dead init's: (status << 8), in hex. */
#define LOADER_FAILED_EXITCODE "0x00007f00"

struct program_check {
	ext2_filsys fs;
	const struct kernel_config *cfg;
	struct findings *found;       /* findings about this candidate, as errors */
	const char *object;           /* the init candidate they are about */
	int error;                    /* PROGRAM_BROKEN: what exec returns (-ENOEXEC...) */
};

/* exec fails with error: the verdict, the error kept for the kernel's words. */
static enum program_verdict broken(struct program_check *pc, int error)
{
	pc->error = error;
	return PROGRAM_BROKEN;
}

static void add(struct program_check *pc, enum diag_id id, const char *path, const char *name,
		const char *hint)
{
	struct diag d;
	struct finding *item;

	diag_set(&d, id);
	d.path = path;
	d.name = name;
	item = findings_add(pc->found, FINDING_ERROR, &d, "%s", pc->object);
	if (hint)
		finding_hint(item, "%s", hint);
}

static int file_exists(ext2_filsys fs, const char *path)
{
	struct ext2_inode inode;
	ext2_ino_t ino;

	return ext2fs_namei_follow(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, &ino) == 0 &&
	       ext2fs_read_inode(fs, ino, &inode) == 0 && LINUX_S_ISREG(inode.i_mode);
}

/* --- ELF ------------------------------------------------------------------- */

/* The parts of an ELF program that matter to exec, 32- or 64-bit alike. */
struct elf_segment {
	uint32_t type;
	uint64_t offset, vaddr, filesz;
};

struct elf_program {
	int is64;
	unsigned count;
	struct elf_segment seg[MAX_PROGRAM_HEADERS];
};

static uint64_t le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

/* Read the program headers (ELF gABI, "Program Header"). */
static int read_program_headers(ext2_filsys fs, ext2_ino_t ino, const uint8_t *head, struct elf_program *elf)
{
	const int is64 = head[EI_CLASS] == ELFCLASS64;
	const unsigned entry = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	uint64_t phoff = is64 ? le(head + offsetof(Elf64_Ehdr, e_phoff), 8) : le(head + offsetof(Elf32_Ehdr, e_phoff), 4);
	unsigned phentsize = le(head + (is64 ? offsetof(Elf64_Ehdr, e_phentsize) : offsetof(Elf32_Ehdr, e_phentsize)), 2);
	unsigned phnum = le(head + (is64 ? offsetof(Elf64_Ehdr, e_phnum) : offsetof(Elf32_Ehdr, e_phnum)), 2);
	uint8_t *table;
	unsigned got;

	elf->is64 = is64;
	elf->count = 0;
	if (phentsize < entry || phnum > MAX_PROGRAM_HEADERS)
		return 0;
	table = malloc((size_t)phnum * phentsize);
	if (!table || partfs_read_at(fs, ino, phoff, table, phnum * phentsize, &got) ||
	    got != phnum * phentsize) {
		free(table);
		return 0;
	}
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *p = table + (size_t)i * phentsize;
		struct elf_segment *s = &elf->seg[elf->count++];

		if (is64) {
			s->type = le(p + offsetof(Elf64_Phdr, p_type), 4);
			s->offset = le(p + offsetof(Elf64_Phdr, p_offset), 8);
			s->vaddr = le(p + offsetof(Elf64_Phdr, p_vaddr), 8);
			s->filesz = le(p + offsetof(Elf64_Phdr, p_filesz), 8);
		} else {
			s->type = le(p + offsetof(Elf32_Phdr, p_type), 4);
			s->offset = le(p + offsetof(Elf32_Phdr, p_offset), 4);
			s->vaddr = le(p + offsetof(Elf32_Phdr, p_vaddr), 4);
			s->filesz = le(p + offsetof(Elf32_Phdr, p_filesz), 4);
		}
	}
	free(table);
	return 1;
}

static const struct elf_segment *find_segment(const struct elf_program *elf, uint32_t type)
{
	for (unsigned i = 0; i < elf->count; i++)
		if (elf->seg[i].type == type)
			return &elf->seg[i];
	return NULL;
}

/* The file offset of a virtual address: through the PT_LOAD that maps it. */
static int vaddr_to_offset(const struct elf_program *elf, uint64_t vaddr, uint64_t *offset)
{
	for (unsigned i = 0; i < elf->count; i++) {
		const struct elf_segment *s = &elf->seg[i];
		if (s->type == PT_LOAD && vaddr >= s->vaddr && vaddr - s->vaddr < s->filesz) {
			*offset = s->offset + (vaddr - s->vaddr);
			return 1;
		}
	}
	return 0;
}

/* Read a whole segment or table of at most max bytes; NULL if it cannot. */
static uint8_t *read_block(ext2_filsys fs, ext2_ino_t ino, uint64_t offset, uint64_t len, uint64_t max)
{
	uint8_t *buf;
	unsigned got;

	if (len == 0 || len > max)
		return NULL;
	buf = malloc(len + 1);
	if (buf && (partfs_read_at(fs, ino, offset, buf, (unsigned)len, &got) || got != len)) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static int library_exists(ext2_filsys fs, const char *library, const char *runpath)
{
	char path[512];
	const char *dir, *end;

	if (strchr(library, '/'))
		return file_exists(fs, library);
	/* DT_RUNPATH / DT_RPATH first; entries using $ORIGIN and the like need
	 * the program's own location and are skipped. */
	for (dir = runpath; dir && *dir; dir = *end ? end + 1 : end) {
		end = dir + strcspn(dir, ":");
		if (end > dir && !memchr(dir, '$', (size_t)(end - dir))) {
			snprintf(path, sizeof(path), "%.*s/%s", (int)(end - dir), dir, library);
			if (file_exists(fs, path))
				return 1;
		}
	}
	for (size_t i = 0; i < sizeof(library_dirs) / sizeof(library_dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", library_dirs[i], library);
		if (file_exists(fs, path))
			return 1;
	}
	return 0;
}

/*
 * DT_NEEDED entries name the libraries; their strings are in DT_STRTAB, a
 * virtual address, found in the file through the PT_LOAD segments (ELF
 * gABI, "Dynamic Section").  Returns the number of missing libraries.
 */
static unsigned check_libraries(struct program_check *pc, ext2_ino_t ino, const char *path,
				const struct elf_program *elf)
{
	const struct elf_segment *dynamic = find_segment(elf, PT_DYNAMIC);
	const unsigned entry = elf->is64 ? sizeof(Elf64_Dyn) : sizeof(Elf32_Dyn);
	const unsigned word = elf->is64 ? 8 : 4;
	uint64_t strtab = 0, strsz = 0, strtab_offset, runpath = (uint64_t)-1, rpath = (uint64_t)-1;
	uint8_t *dyn, *strings;
	unsigned missing = 0;
	char hint[128];

	if (!dynamic || !(dyn = read_block(pc->fs, ino, dynamic->offset, dynamic->filesz, MAX_DYNAMIC_BYTES)))
		return 0;
	for (uint64_t at = 0; at + entry <= dynamic->filesz; at += entry) {
		uint64_t tag = le(dyn + at, word), val = le(dyn + at + word, word);
		if (tag == DT_NULL)
			break;
		if (tag == DT_STRTAB)
			strtab = val;
		else if (tag == DT_STRSZ)
			strsz = val;
		else if (tag == DT_RUNPATH)
			runpath = val;
		else if (tag == DT_RPATH)
			rpath = val;
	}
	if (!vaddr_to_offset(elf, strtab, &strtab_offset) ||
	    !(strings = read_block(pc->fs, ino, strtab_offset, strsz, MAX_STRTAB_BYTES))) {
		free(dyn);
		return 0;
	}
	/* DT_RUNPATH, when present, replaces DT_RPATH (ld.so(8)). */
	if (runpath == (uint64_t)-1)
		runpath = rpath;
	for (uint64_t at = 0; at + entry <= dynamic->filesz; at += entry) {
		uint64_t tag = le(dyn + at, word), val = le(dyn + at + word, word);
		const char *library;

		if (tag == DT_NULL)
			break;
		if (tag != DT_NEEDED || val >= strsz)
			continue;
		library = (const char *)strings + val;
		if (library_exists(pc->fs, library, runpath < strsz ? (const char *)strings + runpath : NULL))
			continue;
		if (++missing <= MAX_LIBRARY_FINDINGS)
			add(pc, DIAG_INIT_LIBRARY_MISSING, path, library, NULL);
	}
	if (missing > MAX_LIBRARY_FINDINGS) {
		snprintf(hint, sizeof(hint), "and %u more libraries are missing", missing - MAX_LIBRARY_FINDINGS);
		finding_hint(&pc->found->list[pc->found->count - 1], "%s", hint);
	}
	free(strings);
	free(dyn);
	return missing;
}

static enum program_verdict check_elf(struct program_check *pc, ext2_ino_t ino, const char *path,
				      const uint8_t *head, unsigned got)
{
	struct elf_program *elf;
	const struct elf_segment *interp;
	unsigned machine, type;
	char what[64], *interpreter;
	enum program_verdict verdict = PROGRAM_RUNS;

	if (got < sizeof(Elf64_Ehdr) || (head[EI_CLASS] != ELFCLASS32 && head[EI_CLASS] != ELFCLASS64) ||
	    head[EI_DATA] != ELFDATA2LSB) {
		add(pc, DIAG_INIT_NOT_EXECUTABLE, path, "an ELF file that is not little-endian 32- or 64-bit", NULL);
		return broken(pc, -ENOEXEC);
	}
	machine = le(head + offsetof(Elf64_Ehdr, e_machine), 2);   /* same offset in Elf32 */
	type = le(head + offsetof(Elf64_Ehdr, e_type), 2);
	if (machine != EM_X86_64 && machine != EM_386) {
		snprintf(what, sizeof(what), "an ELF for another machine: e_machine %u", machine);
		add(pc, DIAG_INIT_NOT_EXECUTABLE, path, what, "an x86 kernel runs x86-64 and i386 programs only");
		return broken(pc, -ENOEXEC);
	}
	if (type != ET_EXEC && type != ET_DYN) {
		snprintf(what, sizeof(what), "an ELF that is not a program: e_type %u", type);
		add(pc, DIAG_INIT_NOT_EXECUTABLE, path, what, NULL);
		return broken(pc, -ENOEXEC);
	}
	/* A 64-bit kernel runs i386 programs only with its compat layer. */
	if (machine == EM_386 && kconfig_value(pc->cfg, "64BIT") == 'y' &&
	    kconfig_value(pc->cfg, "IA32_EMULATION") != 'y') {
		add(pc, DIAG_INIT_NOT_EXECUTABLE, path, "a 32-bit program, and the kernel has no CONFIG_IA32_EMULATION",
		    "use a 64-bit init, or a kernel built with CONFIG_IA32_EMULATION=y");
		return broken(pc, -ENOEXEC);
	}
	elf = malloc(sizeof(*elf));
	if (!elf || !read_program_headers(pc->fs, ino, head, elf)) {
		add(pc, DIAG_INIT_NOT_EXECUTABLE, path, "an ELF whose program headers cannot be read", NULL);
		free(elf);
		return broken(pc, -ENOEXEC);
	}
	interp = find_segment(elf, PT_INTERP);
	if (interp) {
		interpreter = (char *)read_block(pc->fs, ino, interp->offset, interp->filesz, PATH_MAX);
		if (!interpreter || !file_exists(pc->fs, interpreter)) {
			add(pc, DIAG_INIT_INTERPRETER_MISSING, path, interpreter ? interpreter : "(unreadable PT_INTERP)",
			    NULL);
			verdict = broken(pc, -ENOENT);
		}
		free(interpreter);
	}
	/* with no loader, exec fails before any library matters */
	if (verdict == PROGRAM_RUNS && check_libraries(pc, ino, path, elf))
		verdict = PROGRAM_DIES;
	free(elf);
	return verdict;
}

/* --- programs and scripts --------------------------------------------------- */

static enum program_verdict check_program(struct program_check *pc, const char *path, int is_interpreter);

/*
 * "#!INTERPRETER [ARG]": blanks after "#!" are skipped and the interpreter
 * ends at the next blank or the line's end (fs/binfmt_script.c).  The
 * interpreter is checked as a program in its own right, once: a script
 * run by a script is not followed further.
 */
static enum program_verdict check_script(struct program_check *pc, const char *path,
					 const uint8_t *head, unsigned got)
{
	char line[BINPRM_BUF_SIZE + 1], *interpreter;
	enum program_verdict verdict;

	memcpy(line, head + 2, got - 2);
	line[got - 2] = '\0';
	interpreter = line + strspn(line, " \t");
	interpreter[strcspn(interpreter, " \t\n")] = '\0';
	if (!interpreter[0]) {
		add(pc, DIAG_INIT_NOT_EXECUTABLE, path, "a #! script that names no interpreter", NULL);
		return broken(pc, -ENOEXEC);
	}
	verdict = check_program(pc, interpreter, 1);
	if (verdict == PROGRAM_MISSING) {
		add(pc, DIAG_SCRIPT_INTERPRETER_MISSING, path, interpreter, NULL);
		return broken(pc, -ENOENT);
	}
	return verdict;
}

static enum program_verdict check_program(struct program_check *pc, const char *path, int is_interpreter)
{
	uint8_t head[BINPRM_BUF_SIZE];
	struct ext2_inode inode;
	ext2_ino_t ino;
	char mode[11];
	unsigned got;
	errcode_t err;

	err = ext2fs_namei_follow(pc->fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, &ino);
	if (err == EXT2_ET_SYMLINK_LOOP) {
		add(pc, DIAG_INIT_NOT_EXECUTABLE, path, "a loop of symbolic links", NULL);
		return broken(pc, -ELOOP);
	}
	/* Not found, a dangling symlink, or a path through a non-directory:
	 * all ENOENT or ENOTDIR to exec, and the kernel moves on. */
	if (err || ext2fs_read_inode(pc->fs, ino, &inode))
		return PROGRAM_MISSING;
	partfs_mode_string(inode.i_mode, mode);
	/* exec needs a regular file with an execute bit; root's
	 * CAP_DAC_OVERRIDE does not waive the bit (fs/namei.c
	 * generic_permission). */
	if (!LINUX_S_ISREG(inode.i_mode) || !(inode.i_mode & 0111)) {
		add(pc, DIAG_INIT_NOT_EXECUTABLE, path, mode, NULL);
		return broken(pc, -EACCES);
	}
	if (partfs_read_at(pc->fs, ino, 0, head, sizeof(head), &got) || got == 0) {
		add(pc, DIAG_INIT_NOT_EXECUTABLE, path, got ? "unreadable" : "an empty file", NULL);
		return broken(pc, got ? -EIO : -ENOEXEC);
	}
	if (got >= SELFMAG && memcmp(head, ELFMAG, SELFMAG) == 0)
		return check_elf(pc, ino, path, head, got);
	if (got >= 2 && head[0] == '#' && head[1] == '!')
		return is_interpreter ? PROGRAM_RUNS : check_script(pc, path, head, got);
	add(pc, DIAG_INIT_NOT_EXECUTABLE, path, "neither an ELF program nor a #! script", NULL);
	return broken(pc, -ENOEXEC);
}

/* --- the kernel's choice of init ------------------------------------------ */

/* The candidates tried, and what exec returned for each that failed. */
#define INIT_CANDIDATES_MAX 5   /* init= or CONFIG_DEFAULT_INIT, and the kernel's four */

struct tried {
	const char *path[INIT_CANDIDATES_MAX];
	int error[INIT_CANDIDATES_MAX];
	unsigned count;
};

/* Copy the findings about candidates that did not run into out, with the
 * severity they have given what happens next, and what the kernel says:
 * kernel_says for all, or, when NULL and the kernel goes on to another
 * init, its "Starting init: ... exists but couldn't execute it" for each
 * exec that failed other than with ENOENT (init/main.c
 * try_to_run_init_process). */
static void report_candidates(const struct predict_input *in, const struct findings *found,
			      const struct tried *t, size_t from, size_t to, enum finding_severity severity,
			      const char *then, const char *kernel_says, struct findings *out)
{
	for (size_t i = from; i < to; i++) {
		const struct finding *f = &found->list[i];
		struct finding *item = findings_add(out, severity, &f->diag, "%s", f->object);

		finding_hint(item, "%s%s%s%s", f->hint, f->hint[0] ? "; " : "", then,
			     in->initrd ? "; with an initramfs this matters only if it switches to this root" : "");
		if (kernel_says) {
			finding_kernel_says(item, "%s", kernel_says);
			continue;
		}
		for (unsigned j = 0; j < t->count && !in->initrd; j++)
			if (!strcmp(t->path[j], f->object) && t->error[j] && t->error[j] != -ENOENT)
				finding_kernel_says(item, "Starting init: %s exists but couldn't execute it "
						    "(error %d)", f->object, t->error[j]);
	}
}

void predict_init(const struct predict_input *in, const struct kernel_args *args,
		  const struct kernel_config *cfg, const struct root_fs *root,
		  struct findings *out)
{
	static const char *const defaults[] = { "/sbin/init", "/etc/init", "/bin/init", "/bin/sh" };
	const char *candidates[INIT_CANDIDATES_MAX];
	_Static_assert(1 + sizeof(defaults) / sizeof(defaults[0]) <= INIT_CANDIDATES_MAX, "init candidates");
	char requested[PREDICT_ARG_MAX + 1], default_init[PREDICT_ARG_MAX + 2], tried[PREDICT_ARG_MAX * 2];
	char then[PREDICT_ARG_MAX + 96], says[PREDICT_ARG_MAX + 64];
	enum finding_severity severity = in->initrd ? FINDING_WARNING : FINDING_ERROR;
	enum program_verdict verdict = PROGRAM_MISSING;
	struct findings found;
	struct program_check pc = { root->fs, cfg, &found, NULL, 0 };
	struct tried t = { .count = 0 };
	unsigned count = 0;
	size_t tried_len = 0, split = 0;
	const char *last = NULL;

	if (args->has_init) {
		/* exec resolves a relative init= against the root, the kernel's cwd. */
		snprintf(requested, sizeof(requested), "%s%s", args->init[0] == '/' ? "" : "/", args->init);
		candidates[count++] = requested;
	} else {
		/* CONFIG_DEFAULT_INIT="PATH" is tried first when not empty. */
		const char *setting = cfg->found == KCONFIG_FILE ? strstr(cfg->text, DEFAULT_INIT_LINE) : NULL;

		if (setting && setting[strlen(DEFAULT_INIT_LINE)] != '"') {
			snprintf(default_init, sizeof(default_init), "%s", setting + strlen(DEFAULT_INIT_LINE));
			default_init[strcspn(default_init, "\"\n")] = '\0';
			candidates[count++] = default_init;
		}
		for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			candidates[count++] = defaults[i];
	}
	findings_init(&found);
	for (unsigned i = 0; i < count && verdict != PROGRAM_RUNS && verdict != PROGRAM_DIES; i++) {
		split = found.count;
		pc.object = candidates[i];
		pc.error = 0;
		verdict = check_program(&pc, candidates[i], 0);
		last = candidates[i];
		t.path[t.count] = candidates[i];
		t.error[t.count++] = verdict == PROGRAM_BROKEN ? pc.error : 0;
		tried_len += (size_t)snprintf(tried + tried_len, sizeof(tried) - tried_len, "%s%s",
					     i ? ", " : "", candidates[i]);
	}
	if (args->has_init)   /* init/main.c: "Requested init %s failed (error %d)." */
		snprintf(says, sizeof(says), "Requested init %s failed (error %d)", requested,
			 t.error[0] ? t.error[0] : -ENOENT);
	else
		snprintf(says, sizeof(says), "No working init found");
	if (verdict == PROGRAM_DIES) {
		/* the candidates before it were skipped; this one stops the boot */
		snprintf(then, sizeof(then), "the kernel would skip it and run %s", last);
		report_candidates(in, &found, &t, 0, split, FINDING_WARNING, then, NULL, out);
		snprintf(then, sizeof(then), "%s starts, its dynamic loader exits with status 127, and init "
			 "has died: the kernel panics instead of trying another init", last);
		report_candidates(in, &found, &t, split, found.count, severity, then,
				  "Attempted to kill init! exitcode=" LOADER_FAILED_EXITCODE, out);
	} else if (verdict == PROGRAM_RUNS) {
		snprintf(then, sizeof(then), "the kernel would say it couldn't execute it and run %s instead", last);
		report_candidates(in, &found, &t, 0, found.count, FINDING_WARNING, then, NULL, out);
	} else if (found.count) {
		snprintf(then, sizeof(then), "the kernel would stop with '%s'", says);
		report_candidates(in, &found, &t, 0, found.count, severity, then, in->initrd ? NULL : says, out);
	} else {
		struct diag d;
		struct finding *item;

		diag_set(&d, DIAG_NO_INIT);
		d.path = tried;
		item = findings_add(out, severity, &d, "partition %u", root->partition);
		if (in->initrd)
			finding_hint(item, "the initramfs runs its own /init first; this matters only if it switches to this root");
		else
			finding_kernel_says(item, "%s", says);
	}
	findings_free(&found);
}
