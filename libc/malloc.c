/* malloc.c: the memory allocator. Small blocks come from the program break (sbrk): a free list kept
 * in address order, first fit, split on allocation and merged with its neighbours on free (the
 * K&R design). Blocks of MMAP_THRESHOLD bytes or more get their own anonymous mmap and are
 * returned with munmap, as glibc does above its 128 KiB threshold. Every block starts with a
 * 16-byte header, so user pointers are 16-byte aligned. */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <stdint.h>
#include <sys/mman.h>

#define HEADER_SIZE 16
#define ALIGNMENT 16
#define MMAP_THRESHOLD (128 * 1024)
#define BRK_GROWTH (64 * 1024)
#define PAGE_SIZE 4096
#define MMAPPED 1   /* low bit of size: the block is its own mapping */

/* A block: its size in bytes (header included, a multiple of 16, MMAPPED in bit 0) and, while
 * free, the next free block (the list is circular, in address order). */
struct block {
  size_t size;
  struct block *next;
};

static struct block free_list_base;  /* a zero-size block that anchors the list */
static struct block *free_rover;     /* where the next search starts */

static void *block_data(struct block *b) {
  return (char *)b + HEADER_SIZE;
}

static struct block *data_block(void *p) {
  return (struct block *)((char *)p - HEADER_SIZE);
}

static size_t block_size(struct block *b) {
  return b->size & ~(size_t)MMAPPED;
}

/* Inserts b into the free list, merging it with the blocks just before and after it. */
static void free_list_insert(struct block *b) {
  struct block *p;
  for (p = free_rover; !(b > p && b < p->next); p = p->next)
    if (p >= p->next && (b > p || b < p->next))
      break; /* b goes at the wrap-around point of the circle */
  if ((char *)b + b->size == (char *)p->next) {
    b->size += p->next->size;
    b->next = p->next->next;
  } else {
    b->next = p->next;
  }
  if (p != &free_list_base && (char *)p + p->size == (char *)b) {
    p->size += b->size;
    p->next = b->next;
  } else {
    p->next = b;
  }
  free_rover = p;
}

/* Asks for more memory at the break; the new space joins the free list. */
static int grow_heap(size_t need) {
  size_t amount = need < BRK_GROWTH ? BRK_GROWTH : need;
  char *p = sbrk((intptr_t)amount);
  struct block *b;
  if (p == (char *)-1)
    return -1;
  /* Keep blocks 16-byte aligned even if the initial break was not. */
  if ((uintptr_t)p % ALIGNMENT) {
    size_t skip = ALIGNMENT - (uintptr_t)p % ALIGNMENT;
    p += skip;
    amount -= skip;
    amount -= amount % ALIGNMENT;
  }
  b = (struct block *)p;
  b->size = amount;
  free_list_insert(b);
  return 0;
}

static void *allocate_mapped(size_t total) {
  size_t length = (total + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
  struct block *b = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (b == MAP_FAILED)
    return NULL;
  b->size = length | MMAPPED;
  return block_data(b);
}

void *malloc(size_t size) {
  struct block *prev, *b;
  size_t total;

  if (size > SIZE_MAX / 2) {
    errno = ENOMEM;
    return NULL;
  }
  total = (size + HEADER_SIZE + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  if (total >= MMAP_THRESHOLD) {
    void *p = allocate_mapped(total);
    if (!p)
      errno = ENOMEM;
    return p;
  }
  if (!free_rover) {
    free_list_base.next = &free_list_base;
    free_list_base.size = 0;
    free_rover = &free_list_base;
  }
  prev = free_rover;
  for (b = prev->next;; prev = b, b = b->next) {
    if (b->size >= total) {
      if (b->size - total < 2 * HEADER_SIZE) {
        prev->next = b->next; /* take it whole */
      } else {
        b->size -= total; /* take the tail */
        b = (struct block *)((char *)b + b->size);
        b->size = total;
      }
      free_rover = prev;
      return block_data(b);
    }
    if (b == free_rover && grow_heap(total) < 0) {
      errno = ENOMEM;
      return NULL;
    }
  }
}

void free(void *ptr) {
  struct block *b;
  if (!ptr)
    return;
  b = data_block(ptr);
  if (b->size & MMAPPED) {
    munmap(b, block_size(b));
    return;
  }
  free_list_insert(b);
}

void *calloc(size_t n, size_t size) {
  void *p;
  if (size && n > SIZE_MAX / size) {
    errno = ENOMEM;
    return NULL;
  }
  p = malloc(n * size);
  if (p && !(data_block(p)->size & MMAPPED))
    memset(p, 0, n * size); /* fresh mappings are already zero */
  return p;
}

void *realloc(void *ptr, size_t size) {
  size_t capacity;
  void *fresh;
  if (!ptr)
    return malloc(size);
  if (size == 0) {
    free(ptr);
    return NULL;
  }
  capacity = block_size(data_block(ptr)) - HEADER_SIZE;
  if (size <= capacity && (capacity < MMAP_THRESHOLD || size >= capacity / 2))
    return ptr;
  fresh = malloc(size);
  if (!fresh)
    return NULL;
  memcpy(fresh, ptr, size < capacity ? size : capacity);
  free(ptr);
  return fresh;
}

void *reallocarray(void *ptr, size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) {
    errno = ENOMEM;
    return NULL;
  }
  return realloc(ptr, n * size);
}
