/*
 * ext2.c - read-only ext2/ext3/ext4 reader: mount, path lookup, file reads.
 * Portable: built freestanding for the stage and natively for the tests.
 *
 * Three files, each using only the ones after it (ext2_internal.h):
 *   ext2.c      the superblock (mount), inodes, file reads, directories,
 *               symlinks and path lookup, in the order a lookup uses them;
 *   ext2_map.c  block mapping: indirect blocks and extent trees;
 *   ext2_io.c   disk access and the block caches: every disk read goes
 *               through ext2_read_bytes(), which checks the block against
 *               the filesystem size (E16) and the sectors against the
 *               partition size (E24) before it calls dev->read_sectors.
 * No 64-bit division anywhere (the stage links no libgcc): the block size
 * is a power of two, and inode/group arithmetic fits 32 bits.
 */
#include <string.h>
#include "ext2_internal.h"

/* ---- diagnostics ------------------------------------------------------- */

static enum diag_id not_ext2(struct diag *d, const char *reason)
{
	diag_set(d, DIAG_NOT_EXT2);
	d->name = reason;
	return DIAG_NOT_EXT2;
}

static enum diag_id not_found(struct diag *d, const char *path)
{
	diag_set(d, DIAG_FILE_NOT_FOUND);
	d->path = path;
	return DIAG_FILE_NOT_FOUND;
}

static enum diag_id wrong_type(struct diag *d, const char *path, const char *wanted)
{
	diag_set(d, DIAG_BAD_FILE_TYPE);
	d->path = path;
	d->name = wanted;
	return DIAG_BAD_FILE_TYPE;
}

/* ---- superblock --------------------------------------------------------- */

/* The incompat features this reader handles (s_feature_incompat). */
#define SUPPORTED_INCOMPAT (EXTFS_INCOMPAT_FILETYPE | EXTFS_INCOMPAT_RECOVER |   \
	EXTFS_INCOMPAT_META_BG | EXTFS_INCOMPAT_EXTENTS | EXTFS_INCOMPAT_64BIT |   \
	EXTFS_INCOMPAT_MMP | EXTFS_INCOMPAT_FLEX_BG | EXTFS_INCOMPAT_EA_INODE |    \
	EXTFS_INCOMPAT_CSUM_SEED | EXTFS_INCOMPAT_LARGEDIR | EXTFS_INCOMPAT_CASEFOLD)
/*
 * Why each accepted bit is harmless to a reader:
 *   recover   - the journal may hold newer metadata, but the loader never
 *               writes and reads what is on disk (as GRUB and SYSLINUX do);
 *               a kernel copied in and synced is on disk.
 *   mmp       - guards against two writers; a read-only reader is neither.
 *   ea_inode, csum_seed - concern xattrs and checksums, not file data.
 *   largedir  - bigger htrees; this reader walks directories linearly.
 *   casefold  - names stay stored as created, and only casefolded
 *               directories compare case-insensitively; an exact-byte
 *               lookup finds every name spelled as stored.
 */

/* Names (as mke2fs -O spells them) of the incompat bits refused. */
static const struct {
	uint32_t bit;
	char name[12];
} refused_incompat[] = {
	{ EXTFS_INCOMPAT_COMPRESSION, "compression" },
	{ EXTFS_INCOMPAT_JOURNAL_DEV, "journal_dev" },
	{ EXTFS_INCOMPAT_DIRDATA, "dirdata" },
	{ EXTFS_INCOMPAT_INLINE_DATA, "inline_data" },
	{ EXTFS_INCOMPAT_ENCRYPT, "encrypt" },
};

static uint32_t log2_if_power_of_two(uint32_t x)
{
	uint32_t shift = 0;

	while ((1u << shift) < x && shift < 31)
		shift++;
	return (1u << shift) == x ? shift : 0;
}

/* "block size N unsupported", built in fs->reason (it outlives the call). */
static const char *block_size_reason(struct ext2_fs *fs, uint32_t log_block_size)
{
	static const char before[] = "block size ", after[] = " unsupported";
	char digits[10];
	uint32_t size;
	char *p = fs->reason;
	int n = 0;

	if (log_block_size > 21)   /* 1024 << 22 does not fit 32 bits: test before the shift */
		return "block size field out of range";
	size = 1024u << log_block_size;
	do {
		digits[n++] = (char)('0' + size % 10);
		size /= 10;
	} while (size);
	memcpy(p, before, sizeof before - 1);
	p += sizeof before - 1;
	while (n)
		*p++ = digits[--n];
	memcpy(p, after, sizeof after);
	return fs->reason;
}

enum diag_id ext2_mount(struct ext2_fs *fs, struct blockdev *dev, struct diag *d)
{
	const struct extfs_superblock *sb = (const struct extfs_superblock *)fs->dir.data;
	uint32_t unsupported;

	memset(fs, 0, sizeof *fs);
	fs->dev = dev;
	fs->path = "the superblock";
	fs->block_shift = EXTFS_MIN_BLOCK_LOG;   /* until the superblock says */
	fs->blocks_count = ~(uint64_t)0;
	if (ext2_read_bytes(fs, EXTFS_SUPERBLOCK_OFFSET >> EXTFS_MIN_BLOCK_LOG, 0,
		       sizeof(struct extfs_superblock), fs->dir.data, d))
		return d->id;
	fs->dir.block = 0;

	if (sb->s_magic != EXTFS_SUPER_MAGIC)
		return not_ext2(d, "no ext2 superblock magic (0xEF53) at byte 1080");
	if (sb->s_log_block_size > 2)   /* EXT2_MAX_BLOCK_SIZE is 1024 << 2 */
		return not_ext2(d, block_size_reason(fs, sb->s_log_block_size));

	fs->incompat = sb->s_rev_level == EXTFS_GOOD_OLD_REV ? 0 : sb->s_feature_incompat;
	unsupported = fs->incompat & ~(uint32_t)SUPPORTED_INCOMPAT;
	if (unsupported) {
		diag_set(d, DIAG_UNSUPPORTED_FEATURE);
		d->name = "unknown";
		for (size_t i = 0; i < sizeof refused_incompat / sizeof refused_incompat[0]; i++)
			if (unsupported & refused_incompat[i].bit) {
				d->name = refused_incompat[i].name;
				break;
			}
		d->value = unsupported;
		return DIAG_UNSUPPORTED_FEATURE;
	}

	fs->block_shift = EXTFS_MIN_BLOCK_LOG + sb->s_log_block_size;
	fs->compat = sb->s_rev_level == EXTFS_GOOD_OLD_REV ? 0 : sb->s_feature_compat;
	fs->ro_compat = sb->s_rev_level == EXTFS_GOOD_OLD_REV ? 0 : sb->s_feature_ro_compat;
	fs->inodes_count = sb->s_inodes_count;
	fs->inodes_per_group = sb->s_inodes_per_group;
	fs->blocks_per_group = sb->s_blocks_per_group;
	fs->first_data_block = sb->s_first_data_block;
	fs->first_meta_bg = sb->s_first_meta_bg;
	fs->backup_bgs[0] = sb->s_backup_bgs[0];
	fs->backup_bgs[1] = sb->s_backup_bgs[1];
	fs->blocks_count = sb->s_blocks_count_lo;
	if (fs->incompat & EXTFS_INCOMPAT_64BIT)
		fs->blocks_count |= (uint64_t)sb->s_blocks_count_hi << 32;
	if (!fs->inodes_per_group || !fs->blocks_per_group)
		return not_ext2(d, "zero inodes or blocks per group");
	/* what a file or directory can hold: blocks past the partition cannot be read */
	{
		uint64_t usable = dev->part_sectors >> (fs->block_shift - 9);
		if (usable > fs->blocks_count)
			usable = fs->blocks_count;
		fs->usable_blocks = usable > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)usable;
	}

	fs->inode_shift = sb->s_rev_level == EXTFS_GOOD_OLD_REV ? 7   /* 128 bytes */
			  : log2_if_power_of_two(sb->s_inode_size);
	if (fs->inode_shift < 7 || fs->inode_shift > fs->block_shift)
		return not_ext2(d, "inode size is not a power of two from 128 to the block size");

	fs->desc_shift = 5;   /* 32-byte descriptors */
	if (fs->incompat & EXTFS_INCOMPAT_64BIT) {
		fs->desc_shift = log2_if_power_of_two(sb->s_desc_size);
		if (fs->desc_shift < 6 || fs->desc_shift > fs->block_shift)
			return not_ext2(d, "64bit group descriptor size is not a power of two from 64 to the block size");
	}
	return DIAG_OK;
}

/* ---- group descriptors and inodes -------------------------------------- */

/*
 * Does group g keep a superblock backup?  Only asked for the first group of
 * a meta group, a multiple of the descriptors per block (>= 16), so g is
 * even and never 1 nor an odd power of 3, 5 or 7 (sparse_super's backups).
 */
static uint32_t meta_group_has_super(const struct ext2_fs *fs, uint32_t g)
{
	if (g == 0)
		return 1;
	if (fs->compat & EXTFS_COMPAT_SPARSE_SUPER2)
		return g == fs->backup_bgs[0] || g == fs->backup_bgs[1];
	return !(fs->ro_compat & EXTFS_RO_COMPAT_SPARSE_SUPER);
}

/*
 * Where descriptor block i lies: right after the superblock's block, or
 * with meta_bg (from s_first_meta_bg on) at the start of meta group i,
 * after that group's superblock backup if it has one.  As e2fsprogs'
 * ext2fs_descriptor_block_loc2().
 */
static uint64_t descriptor_block(const struct ext2_fs *fs, uint32_t i)
{
	uint32_t superblock_block = EXTFS_SUPERBLOCK_OFFSET >> fs->block_shift;
	uint32_t first_group;

	if (!(fs->incompat & EXTFS_INCOMPAT_META_BG) || i < fs->first_meta_bg)
		return superblock_block + 1 + i;
	first_group = i << (fs->block_shift - fs->desc_shift);
	return (first_group ? fs->first_data_block + (uint64_t)first_group * fs->blocks_per_group
			    : superblock_block)
	       + meta_group_has_super(fs, first_group);
}

static enum diag_id read_inode(struct ext2_fs *fs, uint32_t ino, struct ext2_file *f,
			       struct diag *d)
{
	uint32_t group, index, per_block_shift, byte;
	const uint8_t *buf;
	const struct extfs_group_desc *gd;
	const struct extfs_inode *in;
	uint64_t table;

	if (ino == 0 || ino > fs->inodes_count)
		return ext2_inconsistent(fs, d, "inode number", ino, fs->inodes_count);
	group = (ino - 1) / fs->inodes_per_group;
	index = (ino - 1) % fs->inodes_per_group;

	per_block_shift = fs->block_shift - fs->desc_shift;
	buf = ext2_cached_block(fs, &fs->desc, descriptor_block(fs, group >> per_block_shift), d);
	if (!buf)
		return d->id;
	gd = (const struct extfs_group_desc *)(buf + ((group & ((1u << per_block_shift) - 1)) << fs->desc_shift));
	table = gd->bg_inode_table_lo;
	if (fs->desc_shift > 5)   /* 64-byte descriptors carry the high half */
		table |= (uint64_t)gd->bg_inode_table_hi << 32;

	byte = index << fs->inode_shift;
	buf = ext2_cached_block(fs, &fs->itable, table + (byte >> fs->block_shift), d);
	if (!buf)
		return d->id;
	in = (const struct extfs_inode *)(buf + (byte & ((1u << fs->block_shift) - 1)));
	f->ino = ino;
	f->mode = in->i_mode;
	f->flags = in->i_flags;
	f->size = in->i_size_lo | (uint64_t)in->i_size_high << 32;
	/* i_blocks counts 512-byte units, metadata blocks included.  With
	 * huge_file it has a high half, and with EXTFS_HUGE_FILE_FL it counts
	 * filesystem blocks (the kernel's ext4_inode_blocks): such a file
	 * (2 TiB or more) is bounded by the filesystem alone. */
	f->blocks = in->i_blocks_lo >> (fs->block_shift - 9);
	if ((f->flags & EXTFS_HUGE_FILE_FL) || in->i_blocks_high || f->blocks > fs->usable_blocks)
		f->blocks = fs->usable_blocks;
	memcpy(f->i_block, in->i_block, sizeof f->i_block);
	return DIAG_OK;
}

/* ---- file reads --------------------------------------------------------- */

/*
 * Copy bytes [offset, offset + len) of f to dest, one disk read per run of
 * physically contiguous blocks: mappings are merged while they continue the
 * run, then the run is read at once (read_bytes splits off unaligned edge
 * sectors only).  With dest NULL, map and check every block but read no
 * file data (ext2_check_range).  Every mapped block met for the first time
 * is counted against what the inode holds, so a tree that maps many
 * logical blocks to one physical block costs at most that many reads.
 */
static enum diag_id read_range(struct ext2_fs *fs, const struct ext2_file *f, uint64_t offset,
			       uint32_t len, uint8_t *dest, struct diag *d)
{
	uint32_t shift = fs->block_shift;
	uint64_t end = offset + len;
	uint64_t last_block = (end - 1) >> shift;
	uint32_t last = (uint32_t)last_block;   /* last logical block wanted */

	/* Logical blocks are 32 bits, the last 2^32 - 2 (ext4's EXT_MAX_BLOCKS
	 * - 1; the triple-indirect map ends before): a size past them is
	 * inconsistent. */
	if (last_block >= 0xFFFFFFFFu)
		return ext2_inconsistent(fs, d, "logical block number past 32 bits",
					 last_block, 0xFFFFFFFEu);
	if (fs->tally_ino != f->ino) {
		fs->tally_ino = f->ino;
		fs->tally_next = fs->tally_mapped = 0;
	}
	while (offset < end) {
		uint32_t L = (uint32_t)(offset >> shift);
		uint32_t skip = (uint32_t)offset & ((1u << shift) - 1);
		uint64_t phys, next_phys, run_bytes;
		uint32_t count, next_count, n;

		if (ext2_map_block(fs, f, L, &phys, &count, d))
			return d->id;
		while (count <= last - L) {
			if (ext2_map_block(fs, f, L + count, &next_phys, &next_count, d))
				return d->id;
			if (phys ? next_phys != phys + count : next_phys != 0)
				break;
			count += next_count;
		}
		run_bytes = ((uint64_t)count << shift) - skip;
		n = run_bytes < end - offset ? (uint32_t)run_bytes : (uint32_t)(end - offset);
		if (phys) {
			/* the whole run is mapped, read or not: count it all (only
			 * an extent that runs past block 2^32 - 1, inconsistent
			 * itself, could make L + count wrap) */
			uint32_t run_end = L + count;
			if (run_end > fs->tally_next) {
				fs->tally_mapped += run_end - (L > fs->tally_next ? L : fs->tally_next);
				fs->tally_next = run_end;
				if (fs->tally_mapped > f->blocks)
					return ext2_inconsistent(fs, d, "blocks past the inode's i_blocks",
								 fs->tally_mapped, f->blocks);
			}
		}
		if (!dest) {
			if (phys && ext2_check_bytes(fs, phys, skip, n, d))
				return d->id;
		} else if (!phys) {
			memset(dest, 0, n);
		} else if (ext2_read_bytes(fs, phys, skip, n, dest, d)) {
			return d->id;
		}
		if (dest)
			dest += n;
		offset += n;
	}
	return DIAG_OK;
}

enum diag_id ext2_read(struct ext2_fs *fs, const struct ext2_file *f, uint64_t offset,
		       uint32_t len, void *dest, struct diag *d)
{
	fs->path = f->path;
	if (offset > f->size || len > f->size - offset) {
		diag_set(d, DIAG_SHORT_READ);
		d->path = f->path;
		d->value = offset > f->size ? 0 : f->size - offset;
		d->limit = len;
		return DIAG_SHORT_READ;
	}
	if (!len)
		return DIAG_OK;
	return read_range(fs, f, offset, len, dest, d);
}

/* ---- directories and path lookup --------------------------------------- */

/*
 * Find name (name_len bytes) in directory dir by reading every entry of
 * every block: htree directories keep all entries in ordinary leaf blocks,
 * and their index nodes look like empty entries.  *ino = 0 if absent; else
 * *entry_type is the entry's file type byte (0 for unknown).
 * Bounded by the directory's size (EXT2_MAX_DIR_BYTES), the blocks its
 * inode holds, and what is left of the lookup's budget (fs->dir_budget).
 */
static enum diag_id dir_find(struct ext2_fs *fs, const struct ext2_file *dir, const char *name,
			     uint32_t name_len, uint32_t *ino, uint8_t *entry_type, struct diag *d)
{
	uint32_t block_size = 1u << fs->block_shift;
	uint32_t blocks;

	if (dir->size > EXT2_MAX_DIR_BYTES)
		return ext2_inconsistent(fs, d, "directory size", dir->size, EXT2_MAX_DIR_BYTES);
	blocks = (uint32_t)((dir->size + block_size - 1) >> fs->block_shift);
	if (blocks > dir->blocks)
		return ext2_inconsistent(fs, d, "directory blocks past the inode's i_blocks",
					 blocks, dir->blocks);
	/* charged whole, before it is read, whether name is found early or not */
	if (blocks > fs->dir_budget)
		return ext2_inconsistent(fs, d, "directory blocks past what one lookup may read",
					 blocks, fs->dir_budget);
	fs->dir_budget -= blocks;
	for (uint32_t L = 0; L < blocks; L++) {
		uint64_t phys;
		uint32_t count;
		const uint8_t *buf;

		if (ext2_map_block(fs, dir, L, &phys, &count, d))
			return d->id;
		if (!phys) {
			/* no wrap: a map's count ends by block 2^32 - 1 */
			L += count - 1;   /* a hole holds no entries */
			continue;
		}
		buf = ext2_cached_block(fs, &fs->dir, phys, d);
		if (!buf)
			return d->id;
		/* an entry's header and a 4-byte name need 12 bytes: fewer
		 * left at the end hold none (the kernel stops there too) */
		for (uint32_t off = 0; off <= block_size - (EXTFS_DIRENT_HEADER + 4);) {
			const struct extfs_dirent *e = (const struct extfs_dirent *)(buf + off);
			uint32_t rec_len = e->rec_len;

			if (rec_len < EXTFS_DIRENT_HEADER + 4 || (rec_len & 3) ||
			    rec_len > block_size - off || e->name_len + EXTFS_DIRENT_HEADER > (int)rec_len)
				return ext2_inconsistent(fs, d, "directory entry length (rec_len)",
						    rec_len, block_size - off);
			if (e->inode && e->name_len == name_len && !memcmp(e->name, name, name_len)) {
				*ino = e->inode;
				*entry_type = e->file_type;
				return DIAG_OK;
			}
			off += rec_len;
		}
	}
	*ino = 0;
	return DIAG_OK;
}

static uint32_t file_type(const struct ext2_file *f)
{
	return f->mode & EXTFS_S_IFMT;
}

/*
 * An inode a directory entry names must be in use and of the type the
 * entry says (with the filetype feature; without it the byte is 0), and
 * the root inode a directory.  A free or mistyped inode - a wrong inode
 * table pointer reads some other block's bytes as inodes - is a damaged
 * filesystem (E16), not a path that names the wrong kind of file (E02).
 * The entry's types in the order the file type byte numbers them:
 * unknown, regular file, directory, character device, block device, FIFO,
 * socket, symlink.
 */
#define ENTRY_TYPE_DIRECTORY 2
static enum diag_id check_entry_inode(struct ext2_fs *fs, const struct ext2_file *f,
				      uint32_t entry_type, struct diag *d)
{
	static const uint8_t mode_type_of_entry[] = { 0, 0x8, 0x4, 0x2, 0x6, 0x1, 0xC, 0xA };

	if (!file_type(f) || (entry_type && (entry_type >= sizeof mode_type_of_entry ||
					     (uint32_t)mode_type_of_entry[entry_type] << 12 != file_type(f))))
		return ext2_inconsistent(fs, d, "inode free or not of its directory entry's type: inode",
					 f->ino, fs->inodes_count);
	return DIAG_OK;
}

/*
 * Replace the symlink f, met at `rest` (what follows it in the path), with
 * its target: fs->lookup ends with target + rest, and *next points at it.
 */
static enum diag_id splice_symlink(struct ext2_fs *fs, const struct ext2_file *f,
				   const char *rest, const char **next, struct diag *d)
{
	uint32_t rest_len = strlen(rest);
	uint64_t need = f->size + rest_len + 1;
	char *tail, *target;

	/* Compared so that no sum can wrap: a size of 2^64 - 1 plus the
	 * rest's length must not come out small. */
	if (rest_len >= sizeof fs->lookup || f->size >= sizeof fs->lookup - rest_len)
		return ext2_inconsistent(fs, d, "symlink target plus the rest of the path too long",
					 need < f->size ? ~(uint64_t)0 : need, sizeof fs->lookup);
	tail = fs->lookup + sizeof fs->lookup - rest_len - 1;
	memmove(tail, rest, rest_len + 1);   /* rest may already lie in fs->lookup */
	target = tail - f->size;
	/* Fast symlinks keep a target shorter than 60 bytes in i_block itself
	 * (e2fsprogs' ext2fs_is_fast_symlink); longer ones in data blocks. */
	if (f->size < EXTFS_I_BLOCK_BYTES)
		memcpy(target, f->i_block, f->size);
	else if (read_range(fs, f, 0, (uint32_t)f->size, (uint8_t *)target, d))
		return d->id;
	*next = target;
	return DIAG_OK;
}

enum diag_id ext2_open(struct ext2_fs *fs, const char *path, struct ext2_file *f, struct diag *d)
{
	const char *p = path;
	const char *text = path;   /* the path, or the symlink target p is in */
	uint32_t links = 0;
	uint32_t ino = EXTFS_ROOT_INO;   /* the inode to read next, as an entry named it */
	uint8_t entry_type = ENTRY_TYPE_DIRECTORY;
	struct ext2_file dir;

	fs->path = path;
	fs->dir_budget = EXT2_LOOKUP_DIR_BYTES >> fs->block_shift;
	for (;;) {
		const char *end;

		if (ino) {
			if (read_inode(fs, ino, f, d) || check_entry_inode(fs, f, entry_type, d))
				return d->id;
			ino = 0;
			if (file_type(f) == EXTFS_S_IFLNK) {
				if (++links > EXT2_MAX_SYMLINKS) {
					diag_set(d, DIAG_TOO_MANY_SYMLINKS);
					d->path = path;
					d->limit = EXT2_MAX_SYMLINKS;
					return DIAG_TOO_MANY_SYMLINKS;
				}
				if (f->size == 0)   /* an empty target names nothing (Linux: ENOENT) */
					return not_found(d, path);
				if (splice_symlink(fs, f, p, &p, d))
					return d->id;
				text = p;
				/* An absolute target starts again from the root, a
				 * relative one from the link's directory. */
				if (*p == '/') {
					ino = EXTFS_ROOT_INO;
					entry_type = ENTRY_TYPE_DIRECTORY;
					continue;
				}
				*f = dir;
			}
		}
		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (end = p; *end && *end != '/'; end++)
			;
		if (file_type(f) != EXTFS_S_IFDIR)
			return wrong_type(d, path, "directory");
		dir = *f;
		/* while it reads the directory, E16 and E24 name it, "/boot/" (a
		 * trailing slash: a directory), not the file never reached */
		if (p > text) {
			fs->path = text;
			fs->path_len = (uint32_t)(p - text);
		}
		if (dir_find(fs, &dir, p, (uint32_t)(end - p), &ino, &entry_type, d))
			return d->id;
		fs->path = path;
		fs->path_len = 0;
		if (!ino)
			return not_found(d, path);
		p = end;
	}
	if (file_type(f) != EXTFS_S_IFREG)
		return wrong_type(d, path, "regular file");
	f->path = path;
	return DIAG_OK;
}

enum diag_id ext2_check_range(struct ext2_fs *fs, const struct ext2_file *f, uint64_t offset,
			      uint32_t len, struct diag *d)
{
	return ext2_read(fs, f, offset, len, 0, d);
}
