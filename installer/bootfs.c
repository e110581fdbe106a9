/* bootfs.c - see bootfs.h. */
#include "bootfs.h"

#include <stdio.h>

errcode_t bootfs_open(const char *image, uint64_t offset, ext2_filsys *fs)
{
	/* unix_io takes the partition's offset as an io option ("offset=N",
	 * e2fsprogs lib/ext2fs/unix_io.c), the way mke2fs -E offset= does. */
	char io_options[40];

	snprintf(io_options, sizeof(io_options), "offset=%llu", (unsigned long long)offset);
	return ext2fs_open2(image, io_options, EXT2_FLAG_64BITS, 0, 0, unix_io_manager, fs);
}

uint64_t bootfs_bytes(ext2_filsys fs)
{
	return (uint64_t)ext2fs_blocks_count(fs->super) * EXT2_BLOCK_SIZE(fs->super);
}

errcode_t bootfs_lookup(ext2_filsys fs, const char *path, struct bootfs_file *file)
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

errcode_t bootfs_read_head(ext2_filsys fs, const struct bootfs_file *file,
			   void *buf, unsigned len, unsigned *got)
{
	ext2_file_t f;
	errcode_t err, close_err;

	*got = 0;
	err = ext2fs_file_open(fs, file->ino, 0, &f);
	if (err)
		return err;
	/* ext2fs_file_read stops at end of file or at len; loop for both. */
	while (*got < len) {
		unsigned n = 0;
		err = ext2fs_file_read(f, (char *)buf + *got, len - *got, &n);
		if (err || n == 0)
			break;
		*got += n;
	}
	close_err = ext2fs_file_close(f);
	return err ? err : close_err;
}
