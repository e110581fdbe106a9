/*
 * ext2_format.h - the on-disk format of ext2/ext3/ext4, as far as a
 * read-only loader needs it.  All fields are little-endian.
 *
 * Sources: the kernel's Documentation/filesystems/ext4/ (ondisk layout),
 * fs/ext4/ext4.h and ext4_extents.h, e2fsprogs' lib/ext2fs/ext2_fs.h.
 *
 * Names carry an extfs_/EXTFS_ prefix, not ext2_/EXT2_: the host tests
 * include libext2fs' own headers next to this one, and its names
 * (struct ext2_inode, EXT2_SUPER_MAGIC, ...) would clash.
 *
 * Partition layout, block size B = 1024 << s_log_block_size:
 *
 *   byte 0      boot sectors (ignored)
 *   byte 1024   superblock, 1024 bytes (in block 1 when B = 1024, else block 0)
 *   block s_first_data_block + 1
 *               group descriptor table, s_desc_size bytes per group
 *               (with meta_bg, past s_first_meta_bg: one descriptor block
 *               at the start of each meta group instead)
 *   ...         per group: bitmaps, inode table (located by the descriptor),
 *               data blocks
 *
 * Inode n (n >= 1) is entry (n - 1) % s_inodes_per_group of the inode table
 * of group (n - 1) / s_inodes_per_group; entries are s_inode_size bytes.
 */
#ifndef BOOTINST_EXT2_FORMAT_H
#define BOOTINST_EXT2_FORMAT_H

#include <stdint.h>
#include <stddef.h>

#define EXTFS_SUPERBLOCK_OFFSET 1024      /* bytes from the partition start */
#define EXTFS_SUPER_MAGIC       0xEF53    /* s_magic */
#define EXTFS_MIN_BLOCK_LOG     10        /* block size = 1 << (10 + s_log_block_size) */
#define EXTFS_ROOT_INO          2
#define EXTFS_GOOD_OLD_REV      0         /* s_rev_level 0: 128-byte inodes, no features */
#define EXTFS_GOOD_OLD_INODE_SIZE 128
#define EXTFS_DESC_SIZE_32      32        /* group descriptor without 64bit */
#define EXTFS_DESC_SIZE_64_MIN  64        /* least s_desc_size with 64bit */

/* s_feature_compat: never stop a reader. */
#define EXTFS_COMPAT_SPARSE_SUPER2  0x0200    /* backups only in s_backup_bgs */

/* s_feature_ro_compat: stop writers only; a reader may ignore them. */
#define EXTFS_RO_COMPAT_SPARSE_SUPER 0x0001   /* superblock backups in groups 0, 1, 3^n, 5^n, 7^n */
#define EXTFS_RO_COMPAT_HUGE_FILE    0x0008   /* i_blocks has a high half; EXTFS_HUGE_FILE_FL units */

/* s_feature_incompat: a reader must understand every bit that is set. */
#define EXTFS_INCOMPAT_COMPRESSION  0x00001   /* never finished in Linux */
#define EXTFS_INCOMPAT_FILETYPE     0x00002   /* dir entries carry a type byte */
#define EXTFS_INCOMPAT_RECOVER      0x00004   /* journal needs recovery */
#define EXTFS_INCOMPAT_JOURNAL_DEV  0x00008   /* this is an external journal, not a filesystem */
#define EXTFS_INCOMPAT_META_BG      0x00010   /* descriptors spread over meta groups */
#define EXTFS_INCOMPAT_EXTENTS      0x00040   /* files may map blocks with extent trees */
#define EXTFS_INCOMPAT_64BIT        0x00080   /* 64-bit block numbers, s_desc_size descriptors */
#define EXTFS_INCOMPAT_MMP          0x00100   /* multi-mount protection block */
#define EXTFS_INCOMPAT_FLEX_BG      0x00200   /* group metadata may live in other groups */
#define EXTFS_INCOMPAT_EA_INODE     0x00400   /* large xattr values in inodes */
#define EXTFS_INCOMPAT_DIRDATA      0x01000   /* Lustre: data after the name in dir entries */
#define EXTFS_INCOMPAT_CSUM_SEED    0x02000   /* checksum seed in s_checksum_seed */
#define EXTFS_INCOMPAT_LARGEDIR     0x04000   /* dirs over 2 GiB, 3-level htree */
#define EXTFS_INCOMPAT_INLINE_DATA  0x08000   /* small files' data inside the inode */
#define EXTFS_INCOMPAT_ENCRYPT      0x10000   /* encrypted names and contents */
#define EXTFS_INCOMPAT_CASEFOLD     0x20000   /* case-insensitive directories */

struct extfs_superblock {
	/* 0x000 */ uint32_t s_inodes_count;
	/* 0x004 */ uint32_t s_blocks_count_lo;
	/* 0x008 */ uint32_t s_r_blocks_count_lo;
	/* 0x00C */ uint32_t s_free_blocks_count_lo;
	/* 0x010 */ uint32_t s_free_inodes_count;
	/* 0x014 */ uint32_t s_first_data_block;     /* block holding the superblock: 1 for 1K blocks, else 0 */
	/* 0x018 */ uint32_t s_log_block_size;       /* block size = 1024 << this */
	/* 0x01C */ uint32_t s_log_cluster_size;
	/* 0x020 */ uint32_t s_blocks_per_group;
	/* 0x024 */ uint32_t s_clusters_per_group;
	/* 0x028 */ uint32_t s_inodes_per_group;
	/* 0x02C */ uint32_t s_mtime;
	/* 0x030 */ uint32_t s_wtime;
	/* 0x034 */ uint16_t s_mnt_count;
	/* 0x036 */ uint16_t s_max_mnt_count;
	/* 0x038 */ uint16_t s_magic;                /* EXTFS_SUPER_MAGIC */
	/* 0x03A */ uint16_t s_state;
	/* 0x03C */ uint16_t s_errors;
	/* 0x03E */ uint16_t s_minor_rev_level;
	/* 0x040 */ uint32_t s_lastcheck;
	/* 0x044 */ uint32_t s_checkinterval;
	/* 0x048 */ uint32_t s_creator_os;
	/* 0x04C */ uint32_t s_rev_level;            /* 0 = good old, 1 = dynamic */
	/* 0x050 */ uint16_t s_def_resuid;
	/* 0x052 */ uint16_t s_def_resgid;
	/* 0x054 */ uint32_t s_first_ino;            /* rev 1 only */
	/* 0x058 */ uint16_t s_inode_size;           /* bytes; rev 1 only */
	/* 0x05A */ uint16_t s_block_group_nr;
	/* 0x05C */ uint32_t s_feature_compat;
	/* 0x060 */ uint32_t s_feature_incompat;
	/* 0x064 */ uint32_t s_feature_ro_compat;
	/* 0x068 */ uint8_t  s_uuid[16];
	/* 0x078 */ char     s_volume_name[16];
	/* 0x088 */ char     s_last_mounted[64];
	/* 0x0C8 */ uint32_t s_algorithm_usage_bitmap;
	/* 0x0CC */ uint8_t  s_prealloc_blocks;
	/* 0x0CD */ uint8_t  s_prealloc_dir_blocks;
	/* 0x0CE */ uint16_t s_reserved_gdt_blocks;
	/* 0x0D0 */ uint8_t  s_journal_uuid[16];
	/* 0x0E0 */ uint32_t s_journal_inum;
	/* 0x0E4 */ uint32_t s_journal_dev;
	/* 0x0E8 */ uint32_t s_last_orphan;
	/* 0x0EC */ uint32_t s_hash_seed[4];
	/* 0x0FC */ uint8_t  s_def_hash_version;
	/* 0x0FD */ uint8_t  s_jnl_backup_type;
	/* 0x0FE */ uint16_t s_desc_size;            /* bytes per group descriptor, with 64bit */
	/* 0x100 */ uint32_t s_default_mount_opts;
	/* 0x104 */ uint32_t s_first_meta_bg;        /* first descriptor block placed by meta_bg */
	/* 0x108 */ uint32_t s_mkfs_time;
	/* 0x10C */ uint32_t s_jnl_blocks[17];
	/* 0x150 */ uint32_t s_blocks_count_hi;      /* with 64bit */
	/* 0x154 */ uint32_t s_r_blocks_count_hi;
	/* 0x158 */ uint32_t s_free_blocks_count_hi;
	/* 0x15C */ uint16_t s_min_extra_isize;
	/* 0x15E */ uint16_t s_want_extra_isize;
	/* 0x160 */ uint32_t s_flags;
	/* 0x164 */ uint16_t s_raid_stride;
	/* 0x166 */ uint16_t s_mmp_update_interval;
	/* 0x168 */ uint64_t s_mmp_block;
	/* 0x170 */ uint32_t s_raid_stripe_width;
	/* 0x174 */ uint8_t  s_log_groups_per_flex;
	/* 0x175 */ uint8_t  s_checksum_type;
	/* 0x176 */ uint8_t  s_encryption_level;
	/* 0x177 */ uint8_t  s_reserved_pad;
	/* 0x178 */ uint64_t s_kbytes_written;
	/* 0x180 */ uint8_t  s_snapshot_and_error_info[0x24C - 0x180];
	/* 0x24C */ uint32_t s_backup_bgs[2];        /* with sparse_super2 */
	/* 0x254 */ uint8_t  s_encrypt_and_quota_info[0x270 - 0x254];
	/* 0x270 */ uint32_t s_checksum_seed;
	/* 0x274 */ uint8_t  s_time_hi_info[0x27C - 0x274];
	/* 0x27C */ uint16_t s_encoding;             /* casefold charset */
	/* 0x27E */ uint16_t s_encoding_flags;
	/* 0x280 */ uint32_t s_orphan_file_inum;
	/* 0x284 */ uint32_t s_reserved[94];
	/* 0x3FC */ uint32_t s_checksum;
};

_Static_assert(sizeof(struct extfs_superblock) == 1024, "superblock size");
_Static_assert(offsetof(struct extfs_superblock, s_magic) == 0x38, "s_magic");
_Static_assert(offsetof(struct extfs_superblock, s_inode_size) == 0x58, "s_inode_size");
_Static_assert(offsetof(struct extfs_superblock, s_feature_incompat) == 0x60, "s_feature_incompat");
_Static_assert(offsetof(struct extfs_superblock, s_desc_size) == 0xFE, "s_desc_size");
_Static_assert(offsetof(struct extfs_superblock, s_first_meta_bg) == 0x104, "s_first_meta_bg");
_Static_assert(offsetof(struct extfs_superblock, s_blocks_count_hi) == 0x150, "s_blocks_count_hi");
_Static_assert(offsetof(struct extfs_superblock, s_kbytes_written) == 0x178, "s_kbytes_written");
_Static_assert(offsetof(struct extfs_superblock, s_backup_bgs) == 0x24C, "s_backup_bgs");
_Static_assert(offsetof(struct extfs_superblock, s_checksum_seed) == 0x270, "s_checksum_seed");
_Static_assert(offsetof(struct extfs_superblock, s_encoding) == 0x27C, "s_encoding");
_Static_assert(offsetof(struct extfs_superblock, s_checksum) == 0x3FC, "s_checksum");

/* Group descriptor: the first 32 bytes always; the rest (the _hi halves)
 * only when 64bit is set and s_desc_size >= 64. */
struct extfs_group_desc {
	/* 0x00 */ uint32_t bg_block_bitmap_lo;
	/* 0x04 */ uint32_t bg_inode_bitmap_lo;
	/* 0x08 */ uint32_t bg_inode_table_lo;       /* first block of the inode table */
	/* 0x0C */ uint16_t bg_free_blocks_count_lo;
	/* 0x0E */ uint16_t bg_free_inodes_count_lo;
	/* 0x10 */ uint16_t bg_used_dirs_count_lo;
	/* 0x12 */ uint16_t bg_flags;
	/* 0x14 */ uint32_t bg_exclude_bitmap_lo;
	/* 0x18 */ uint16_t bg_block_bitmap_csum_lo;
	/* 0x1A */ uint16_t bg_inode_bitmap_csum_lo;
	/* 0x1C */ uint16_t bg_itable_unused_lo;
	/* 0x1E */ uint16_t bg_checksum;
	/* 0x20 */ uint32_t bg_block_bitmap_hi;
	/* 0x24 */ uint32_t bg_inode_bitmap_hi;
	/* 0x28 */ uint32_t bg_inode_table_hi;
	/* 0x2C */ uint16_t bg_free_blocks_count_hi;
	/* 0x2E */ uint16_t bg_free_inodes_count_hi;
	/* 0x30 */ uint16_t bg_used_dirs_count_hi;
	/* 0x32 */ uint16_t bg_itable_unused_hi;
	/* 0x34 */ uint32_t bg_exclude_bitmap_hi;
	/* 0x38 */ uint16_t bg_block_bitmap_csum_hi;
	/* 0x3A */ uint16_t bg_inode_bitmap_csum_hi;
	/* 0x3C */ uint32_t bg_reserved;
};

_Static_assert(offsetof(struct extfs_group_desc, bg_inode_table_lo) == 0x08, "bg_inode_table_lo");
_Static_assert(offsetof(struct extfs_group_desc, bg_block_bitmap_hi) == EXTFS_DESC_SIZE_32, "32-byte descriptor");
_Static_assert(offsetof(struct extfs_group_desc, bg_inode_table_hi) == 0x28, "bg_inode_table_hi");
_Static_assert(sizeof(struct extfs_group_desc) == EXTFS_DESC_SIZE_64_MIN, "64-byte descriptor");

/* i_mode file type (the top four bits). */
#define EXTFS_S_IFMT   0xF000
#define EXTFS_S_IFLNK  0xA000
#define EXTFS_S_IFREG  0x8000
#define EXTFS_S_IFDIR  0x4000

/* i_flags */
#define EXTFS_INDEX_FL       0x00001000   /* directory has an htree index */
#define EXTFS_HUGE_FILE_FL   0x00040000   /* with huge_file: i_blocks counts fs blocks, not 512 bytes */
#define EXTFS_EXTENTS_FL     0x00080000   /* i_block holds an extent tree */
#define EXTFS_INLINE_DATA_FL 0x10000000   /* data lives in the inode */

/* i_block: 12 direct pointers, then single, double, triple indirect. */
#define EXTFS_NDIR_BLOCKS 12
#define EXTFS_IND_BLOCK   12
#define EXTFS_N_BLOCKS    15
#define EXTFS_I_BLOCK_BYTES (EXTFS_N_BLOCKS * 4)  /* 60: also the fast-symlink limit */

struct extfs_inode {
	/* 0x00 */ uint16_t i_mode;
	/* 0x02 */ uint16_t i_uid;
	/* 0x04 */ uint32_t i_size_lo;
	/* 0x08 */ uint32_t i_atime;
	/* 0x0C */ uint32_t i_ctime;
	/* 0x10 */ uint32_t i_mtime;
	/* 0x14 */ uint32_t i_dtime;
	/* 0x18 */ uint16_t i_gid;
	/* 0x1A */ uint16_t i_links_count;
	/* 0x1C */ uint32_t i_blocks_lo;            /* 512-byte units held, metadata included */
	/* 0x20 */ uint32_t i_flags;
	/* 0x24 */ uint32_t i_osd1;
	/* 0x28 */ uint32_t i_block[EXTFS_N_BLOCKS];  /* block map or extent tree root */
	/* 0x64 */ uint32_t i_generation;
	/* 0x68 */ uint32_t i_file_acl_lo;
	/* 0x6C */ uint32_t i_size_high;
	/* 0x70 */ uint32_t i_obso_faddr;
	/* 0x74 */ uint16_t i_blocks_high;          /* with huge_file (Linux's l_i_blocks_hi) */
	/* 0x76 */ uint8_t  i_osd2_rest[10];
	/* 0x80 */ /* 256-byte inodes continue with i_extra_isize and more */
};

_Static_assert(offsetof(struct extfs_inode, i_flags) == 0x20, "i_flags");
_Static_assert(offsetof(struct extfs_inode, i_block) == 0x28, "i_block");
_Static_assert(offsetof(struct extfs_inode, i_size_high) == 0x6C, "i_size_high");
_Static_assert(offsetof(struct extfs_inode, i_blocks_high) == 0x74, "i_blocks_high");
_Static_assert(sizeof(struct extfs_inode) == EXTFS_GOOD_OLD_INODE_SIZE, "inode size");

/* Directory entry: rec_len is the distance to the next entry (a multiple of
 * 4, entries never cross a block).  Entries with inode 0 are unused; so is
 * the 12-byte checksum tail of metadata_csum and each htree node, which
 * look like an entry with inode 0 to a linear reader. */
struct extfs_dirent {
	/* 0x0 */ uint32_t inode;
	/* 0x4 */ uint16_t rec_len;
	/* 0x6 */ uint8_t  name_len;   /* without filetype the high byte of a 16-bit length, always 0 */
	/* 0x7 */ uint8_t  file_type;
	/* 0x8 */ char     name[];     /* name_len bytes, no NUL */
};

#define EXTFS_DIRENT_HEADER 8
_Static_assert(offsetof(struct extfs_dirent, name) == EXTFS_DIRENT_HEADER, "dirent header");

/* Extent tree (ext4): every node, the root in i_block included, starts with
 * a header and continues with eh_entries index entries (eh_depth > 0) or
 * leaf extents (eh_depth == 0), sorted by logical block. */
#define EXTFS_EXT_MAGIC     0xF30A
#define EXTFS_EXT_MAX_DEPTH 5         /* the kernel's EXT4_MAX_EXTENT_DEPTH */
#define EXTFS_EXT_INIT_MAX_LEN 32768  /* ee_len above this: uninitialized, len - 32768 */

struct extfs_extent_header {
	/* 0x0 */ uint16_t eh_magic;      /* EXTFS_EXT_MAGIC */
	/* 0x2 */ uint16_t eh_entries;    /* entries in use */
	/* 0x4 */ uint16_t eh_max;        /* room for entries */
	/* 0x6 */ uint16_t eh_depth;      /* 0 = the entries are leaves */
	/* 0x8 */ uint32_t eh_generation;
};

struct extfs_extent_index {
	/* 0x0 */ uint32_t ei_block;      /* first logical block the child covers */
	/* 0x4 */ uint32_t ei_leaf_lo;    /* child node's physical block */
	/* 0x8 */ uint16_t ei_leaf_hi;
	/* 0xA */ uint16_t ei_unused;
};

struct extfs_extent_leaf {
	/* 0x0 */ uint32_t ee_block;      /* first logical block */
	/* 0x4 */ uint16_t ee_len;        /* blocks; > 32768: uninitialized (reads as zeros) */
	/* 0x6 */ uint16_t ee_start_hi;   /* first physical block */
	/* 0x8 */ uint32_t ee_start_lo;
};

/* A node is its header and an array of entries of one size, index or leaf
 * alike, each starting with the first logical block it covers. */
#define EXTFS_EXTENT_ENTRY_BYTES 12

_Static_assert(sizeof(struct extfs_extent_header) == 12, "extent header");
_Static_assert(sizeof(struct extfs_extent_index) == EXTFS_EXTENT_ENTRY_BYTES, "extent index");
_Static_assert(sizeof(struct extfs_extent_leaf) == EXTFS_EXTENT_ENTRY_BYTES, "extent leaf");
_Static_assert(offsetof(struct extfs_extent_index, ei_block) == offsetof(struct extfs_extent_leaf, ee_block),
	       "both kinds of entry start with their first logical block");

#endif
