/* newfs.c - see newfs.h. */
#define _GNU_SOURCE
#include "newfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <et/com_err.h>
#include <ext2fs/ext2fs.h>

#define COPY_CHUNK (1u << 16)

struct newfs {
	ext2_filsys fs;
	const char *shown_as;
	FILE *err;
};

static int fail(struct newfs *n, const char *doing, const char *what, errcode_t rc)
{
	fprintf(n->err, "bootinst: %s: while %s %s in its filesystem: %s\n", n->shown_as, doing, what,
		error_message(rc));
	return -1;
}

/* The directory at path, made (mode 755, owned by root) with its parents
 * where missing. */
static errcode_t make_dirs(ext2_filsys fs, const char *path, ext2_ino_t *dir)
{
	char part[256];
	const char *p = path;
	ext2_ino_t at = EXT2_ROOT_INO, next;
	errcode_t rc;

	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (!len)
			break;
		if (len >= sizeof(part))
			return EXT2_ET_FILE_TOO_BIG;
		memcpy(part, p, len);
		part[len] = '\0';
		p += len;
		rc = ext2fs_lookup(fs, at, part, len, NULL, &next);
		if (rc == EXT2_ET_FILE_NOT_FOUND) {
			rc = ext2fs_mkdir(fs, at, 0, part);
			if (rc == EXT2_ET_DIR_NO_SPACE && !(rc = ext2fs_expand_dir(fs, at)))
				rc = ext2fs_mkdir(fs, at, 0, part);
			if (!rc)
				rc = ext2fs_lookup(fs, at, part, len, NULL, &next);
		}
		if (rc)
			return rc;
		if ((rc = ext2fs_check_directory(fs, next)))
			return rc;
		at = next;
	}
	*dir = at;
	return 0;
}

/* Split path into its folder (made if missing) and its last name. */
static errcode_t parent_of(ext2_filsys fs, const char *path, ext2_ino_t *dir, const char **name)
{
	char folder[256];
	const char *slash = strrchr(path, '/');

	if (!slash || !slash[1] || (size_t)(slash - path) >= sizeof(folder))
		return EXT2_ET_INVALID_ARGUMENT;
	memcpy(folder, path, (size_t)(slash - path));
	folder[slash - path] = '\0';
	*name = slash + 1;
	return make_dirs(fs, folder, dir);
}

/* A new inode of mode in dir under name (file type ft), its inode set up
 * by the caller's fields in *inode. */
static errcode_t new_inode(ext2_filsys fs, ext2_ino_t dir, const char *name, int ft,
			   struct ext2_inode *inode, ext2_ino_t *ino)
{
	errcode_t rc = ext2fs_new_inode(fs, dir, inode->i_mode, NULL, ino);

	if (rc)
		return rc;
	rc = ext2fs_link(fs, dir, name, *ino, ft);
	if (rc == EXT2_ET_DIR_NO_SPACE && !(rc = ext2fs_expand_dir(fs, dir)))
		rc = ext2fs_link(fs, dir, name, *ino, ft);
	if (rc)
		return rc;
	ext2fs_inode_alloc_stats2(fs, *ino, +1, 0);
	inode->i_links_count = 1;
	inode->i_atime = inode->i_ctime = inode->i_mtime = (__u32)time(NULL);
	if (ft == EXT2_FT_REG_FILE && ext2fs_has_feature_extents(fs->super)) {
		/* an empty extent tree in i_block, as mke2fs -d gives its files */
		ext2_extent_handle_t handle;
		if ((rc = ext2fs_extent_open2(fs, *ino, inode, &handle)))
			return rc;
		ext2fs_extent_free(handle);
	}
	return ext2fs_write_new_inode(fs, *ino, inode);
}

static int copy_file(struct newfs *n, const struct newfs_file *f)
{
	struct ext2_inode inode = { .i_mode = LINUX_S_IFREG | 0644 };
	static char buf[COPY_CHUNK];
	const char *name;
	ext2_file_t file = NULL;
	ext2_ino_t dir, ino;
	errcode_t rc;
	int fd = open(f->host, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail(n, "copying", f->host, errno);
	if ((rc = parent_of(n->fs, f->path, &dir, &name)) ||
	    (rc = new_inode(n->fs, dir, name, EXT2_FT_REG_FILE, &inode, &ino))) {
		close(fd);
		return fail(n, "making", f->path, rc);
	}
	rc = ext2fs_file_open(n->fs, ino, EXT2_FILE_WRITE, &file);
	for (;;) {
		ssize_t got;
		unsigned written;

		if (rc)
			break;
		got = read(fd, buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = errno;
			break;
		}
		if (got == 0)
			break;
		rc = ext2fs_file_write(file, buf, (unsigned)got, &written);
		if (!rc && written != (unsigned)got)
			rc = EXT2_ET_SHORT_WRITE;
	}
	close(fd);
	if (file) {
		errcode_t closed = ext2fs_file_close(file);
		if (!rc)
			rc = closed;
	}
	return rc ? fail(n, "copying in", f->path, rc) : 0;
}

/* Every inode in use, owned by root. */
static int own_by_root(struct newfs *n)
{
	struct ext2_inode inode;
	errcode_t rc;

	for (ext2_ino_t ino = 1; ino <= n->fs->super->s_inodes_count; ino++) {
		if (!ext2fs_test_inode_bitmap2(n->fs->inode_map, ino))
			continue;
		if ((rc = ext2fs_read_inode(n->fs, ino, &inode)))
			return fail(n, "reading", "an inode", rc);
		if (!inode_uid(inode) && !inode_gid(inode))
			continue;
		inode.i_uid = inode.i_gid = 0;
		ext2fs_set_i_uid_high(inode, 0);
		ext2fs_set_i_gid_high(inode, 0);
		if ((rc = ext2fs_write_inode(n->fs, ino, &inode)))
			return fail(n, "giving root", "an inode", rc);
	}
	return 0;
}

/* A device's number where the kernel reads it (fs/ext2/inode.c
 * ext2_set_inode): the old 8:8 form in i_block[0] when it fits, else the
 * new one in i_block[1]. */
static void set_device(struct ext2_inode *inode, unsigned major, unsigned minor)
{
	if (major < 256 && minor < 256) {
		inode->i_block[0] = major << 8 | minor;
	} else {
		inode->i_block[0] = 0;
		inode->i_block[1] = (minor & 0xff) | major << 8 | (minor & ~0xffu) << 12;
	}
}

static int apply_entry(struct newfs *n, const struct devtable_entry *e)
{
	static const struct { char type; unsigned mode; int ft; } kinds[] = {
		{ 'c', LINUX_S_IFCHR, EXT2_FT_CHRDEV }, { 'b', LINUX_S_IFBLK, EXT2_FT_BLKDEV },
		{ 'p', LINUX_S_IFIFO, EXT2_FT_FIFO },
	};
	struct ext2_inode inode;
	ext2_ino_t dir, ino;
	const char *name;
	char what[DEVTABLE_PATH_MAX + 32];
	errcode_t rc;

	snprintf(what, sizeof(what), "%s (device table line %u)", e->path, e->line);
	if (e->type == 'd') {
		if ((rc = make_dirs(n->fs, e->path, &ino)))
			return fail(n, "making the folder", what, rc);
	} else if (e->type == 'f') {
		if ((rc = ext2fs_namei(n->fs, EXT2_ROOT_INO, EXT2_ROOT_INO, e->path, &ino))) {
			fprintf(n->err, "bootinst: %s: the device table's line %u sets the mode of %s, which "
				"is not in the tree\n  fix: add it to the --root tree, or drop the line\n",
				n->shown_as, e->line, e->path);
			return -1;
		}
	} else {
		unsigned k = 0;
		while (kinds[k].type != e->type)
			k++;
		if (!ext2fs_namei(n->fs, EXT2_ROOT_INO, EXT2_ROOT_INO, e->path, &ino)) {
			fprintf(n->err, "bootinst: %s: the device table's line %u makes %s, which the tree "
				"holds already\n  fix: drop it from the --root tree, or the line from the "
				"table\n", n->shown_as, e->line, e->path);
			return -1;
		}
		memset(&inode, 0, sizeof(inode));
		inode.i_mode = (__u16)(kinds[k].mode | e->mode);
		if (e->type != 'p')
			set_device(&inode, e->major, e->minor);
		if ((rc = parent_of(n->fs, e->path, &dir, &name)) ||
		    (rc = new_inode(n->fs, dir, name, kinds[k].ft, &inode, &ino)))
			return fail(n, "making", what, rc);
	}
	if ((rc = ext2fs_read_inode(n->fs, ino, &inode)))
		return fail(n, "reading", what, rc);
	inode.i_mode = (__u16)((inode.i_mode & LINUX_S_IFMT) | e->mode);
	inode.i_uid = (__u16)e->uid;
	inode.i_gid = (__u16)e->gid;
	ext2fs_set_i_uid_high(inode, e->uid >> 16);
	ext2fs_set_i_gid_high(inode, e->gid >> 16);
	if ((rc = ext2fs_write_inode(n->fs, ino, &inode)))
		return fail(n, "writing", what, rc);
	return 0;
}

int newfs_finish(const char *image, const char *shown_as, uint64_t offset,
		 const struct newfs_file *files, size_t nfiles, const struct devtable *table,
		 FILE *err)
{
	struct newfs n = { .shown_as = shown_as, .err = err };
	char io_options[40];
	errcode_t rc;
	int status = -1;

	initialize_ext2_error_table();
	snprintf(io_options, sizeof(io_options), "offset=%llu", (unsigned long long)offset);
	rc = ext2fs_open2(image, io_options, EXT2_FLAG_RW | EXT2_FLAG_64BITS, 0, 0, unix_io_manager, &n.fs);
	if (rc) {
		fprintf(err, "bootinst: %s: while opening the new filesystem: %s\n", shown_as, error_message(rc));
		return -1;
	}
	if ((rc = ext2fs_read_bitmaps(n.fs))) {
		fail(&n, "reading", "the bitmaps", rc);
		goto out;
	}
	for (size_t i = 0; i < nfiles; i++)
		if (copy_file(&n, &files[i]))
			goto out;
	if (own_by_root(&n))
		goto out;
	for (size_t i = 0; table && i < table->count; i++)
		if (apply_entry(&n, &table->entry[i]))
			goto out;
	status = 0;
out:
	rc = ext2fs_close_free(&n.fs);
	if (rc && !status) {
		fprintf(err, "bootinst: %s: while writing the new filesystem: %s\n", shown_as, error_message(rc));
		status = -1;
	}
	return status;
}
