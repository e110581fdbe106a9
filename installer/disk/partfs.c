/* partfs.c - see partfs.h. */
#define _GNU_SOURCE
#include "partfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * libext2fs's lookups walk a directory's whole block map, whatever its
 * size claims, and a crafted one maps 2^30 blocks to the same block: its
 * namei spun for 41 s in `bootinst check` on such a disk.  Every block read
 * of a filesystem opened here goes through this count, and past
 * PARTFS_READ_BUDGET reads each fails with EXT2_ET_DIR_CORRUPTED instead
 * (the reads are unix_io's; cache hits are counted too).
 */
struct bounded_io {
	struct struct_io_manager manager;   /* unixfd_io_manager's, reads counted */
	uint64_t reads;
};

static struct bounded_io *bounded_of(io_channel channel)
{
	return (struct bounded_io *)((char *)channel->manager - offsetof(struct bounded_io, manager));
}

static errcode_t bounded_read_blk64(io_channel channel, unsigned long long block, int count, void *data)
{
	if (++bounded_of(channel)->reads > PARTFS_READ_BUDGET)
		return EXT2_ET_DIR_CORRUPTED;
	return unixfd_io_manager->read_blk64(channel, block, count, data);
}

static errcode_t bounded_read_blk(io_channel channel, unsigned long block, int count, void *data)
{
	return bounded_read_blk64(channel, block, count, data);
}

static errcode_t bounded_close(io_channel channel)
{
	struct bounded_io *b = bounded_of(channel);
	errcode_t err = unixfd_io_manager->close(channel);

	free(b);
	return err;
}

static errcode_t bound_reads(ext2_filsys fs)
{
	struct bounded_io *b = malloc(sizeof(*b));

	if (!b)
		return ENOMEM;
	b->manager = *unixfd_io_manager;
	b->manager.read_blk = bounded_read_blk;
	b->manager.read_blk64 = bounded_read_blk64;
	b->manager.close = bounded_close;
	b->reads = 0;
	fs->io->manager = &b->manager;
	return 0;
}

errcode_t partfs_open(const struct disk_image *img, uint64_t start_lba, ext2_filsys *fs)
{
	/* unixfd_io_manager reads the descriptor whose number is the "name"
	 * and closes it with the filesystem, so it gets a copy of ours.  The
	 * partition's offset is an io option ("offset=N", e2fsprogs
	 * lib/ext2fs/unix_io.c), the way mke2fs -E offset= takes it. */
	char fd_name[16], io_options[40];
	int fd = fcntl(img->fd, F_DUPFD_CLOEXEC, 0);
	errcode_t err;

	if (fd < 0)
		return errno;
	snprintf(fd_name, sizeof(fd_name), "%d", fd);
	snprintf(io_options, sizeof(io_options), "offset=%llu",
		 (unsigned long long)(start_lba * IMAGE_SECTOR_SIZE));
	err = ext2fs_open2(fd_name, io_options, EXT2_FLAG_64BITS, 0, 0, unixfd_io_manager, fs);
	if (err) {
		close(fd);          /* a failed open leaves it to us */
		return err;
	}
	err = bound_reads(*fs);
	if (err)
		ext2fs_close_free(fs);
	return err;
}

errcode_t partfs_lookup(ext2_filsys fs, const char *path, struct partfs_file *file)
{
	struct ext2_inode inode;
	errcode_t err;

	err = ext2fs_namei_follow(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, &file->ino);
	if (err)
		return err;
	err = ext2fs_read_inode(fs, file->ino, &inode);
	if (err)
		return err;
	file->is_regular = LINUX_S_ISREG(inode.i_mode);
	file->size = EXT2_I_SIZE(&inode);
	return 0;
}

errcode_t partfs_read_at(ext2_filsys fs, ext2_ino_t ino, uint64_t offset,
			 void *buf, unsigned len, unsigned *got)
{
	ext2_file_t file;
	errcode_t err, close_err;

	*got = 0;
	err = ext2fs_file_open(fs, ino, 0, &file);
	if (err)
		return err;
	err = ext2fs_file_llseek(file, offset, EXT2_SEEK_SET, NULL);
	/* ext2fs_file_read stops at the end of the file or of a block: loop */
	while (!err && *got < len) {
		unsigned n = 0;
		err = ext2fs_file_read(file, (char *)buf + *got, len - *got, &n);
		if (n == 0)
			break;
		*got += n;
	}
	close_err = ext2fs_file_close(file);
	return err ? err : close_err;
}

errcode_t partfs_read_symlink(ext2_filsys fs, const char *path, char *target, size_t size)
{
	struct ext2_inode inode;
	ext2_ino_t ino;
	unsigned got;
	size_t len, inline_len;
	errcode_t err;

	/* ext2fs_namei follows links in the directories on the way, not in
	 * the last component: that one is what we want to read. */
	err = ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, &ino);
	if (!err)
		err = ext2fs_read_inode(fs, ino, &inode);
	if (err)
		return err;
	if (!LINUX_S_ISLNK(inode.i_mode))
		return EINVAL;
	len = EXT2_I_SIZE(&inode);
	if (len >= size)
		return ENAMETOOLONG;
	/* A link target lives in one of three places (ext4.wiki, "Symbolic
	 * Links"): inline data, the block map itself (fast), or a block. */
	if (inode.i_flags & EXT4_INLINE_DATA_FL) {
		err = ext2fs_inline_data_get(fs, ino, &inode, target, &inline_len);
		len = inline_len < len ? inline_len : len;
	} else if (ext2fs_is_fast_symlink(&inode)) {
		memcpy(target, inode.i_block, len);
	} else {
		err = partfs_read_at(fs, ino, 0, target, (unsigned)len, &got);
		len = got;
	}
	target[err ? 0 : len] = '\0';
	return err;
}

void partfs_mode_string(unsigned mode, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	char type = '?';

	switch (mode & LINUX_S_IFMT) {
	case LINUX_S_IFREG:  type = '-'; break;
	case LINUX_S_IFDIR:  type = 'd'; break;
	case LINUX_S_IFLNK:  type = 'l'; break;
	case LINUX_S_IFCHR:  type = 'c'; break;
	case LINUX_S_IFBLK:  type = 'b'; break;
	case LINUX_S_IFIFO:  type = 'p'; break;
	case LINUX_S_IFSOCK: type = 's'; break;
	}
	out[0] = type;
	for (int i = 0; i < 9; i++)
		out[1 + i] = (mode & (0400u >> i)) ? rwx[i] : '-';
	out[10] = '\0';
}
