// User programs' variables at uprobes: registers of the interrupted task
// (struct pt_regs) and its memory, with the offsets of the program's own
// DWARF (no CO-RE: the binary is fixed), pretty-printing and $$vars.
#include "bpf/translator_impl.h"
#include "elf/elf_binary.h"

#include <sys/stat.h>

namespace tap::bpf::detail {

// x86_64's struct pt_regs (its stable uapi layout): the word of a register.
std::string Translator::userRegister(const std::string& reg, SourceLoc loc) {
#if defined(__x86_64__)
    static const char* const words[] = {"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax",
                                        "cx",  "dx",  "si",  "di",  "orig_ax", "ip", "cs", "flags", "sp", "ss"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; ++i)
        if (reg == words[i])
            return "((__u64 *)ctx)[" + std::to_string(i) + "]";
#endif
    error("register '" + reg + "' cannot be read on this architecture", loc);
}

// `size` bytes of user memory at `address`, widened to 64 bits.
std::string Translator::genUserRead(const std::string& address, int64_t size, bool isSigned, SourceLoc loc,
                                    const std::string& subject) {
    if (size != 1 && size != 2 && size != 4 && size != 8)
        error("a " + std::to_string(size) + "-byte value cannot be read as a number", loc);
    std::string bits = std::to_string(size * 8);
    std::string addr = tempL(), value = tempL();
    std::string cast = size == 8 ? "(__s64)" : std::string("(__s64)(") + (isSigned ? "__s" : "__u") + bits + ")";
    return "({ " + addr + " = (__s64)(" + address + "); " + value + " = 0; if (bpf_probe_read_user(&" + value + ", " +
           std::to_string(size) + ", (void *)" + addr + ")) " +
           fail("user memory read fault at 0x%llx [man error::fault]", loc, subject, addr) + " " + cast + value + "; })";
}

// Mapped files are told apart by name and size rather than inode: under
// overlayfs a mapping's file is the layer's, whose inode stat() does not
// show. The name's hash is bpf::mappedFileNameHash() in user space.
const char* const kFileNameHash = R"(static __always_inline __u64 tap_file_name_hash(struct file *file)
{
	char name[64];
	__u64 h = 14695981039346656037ULL;
	if (bpf_probe_read_kernel_str(name, sizeof name, BPF_CORE_READ(file, f_path.dentry, d_name.name)) <= 0)
		return 0;
	for (int i = 0; i < (int)sizeof name; i++) {
		if (!name[i])
			break;
		h = (h ^ (unsigned char)name[i]) * 1099511628211ULL;
	}
	return h;
}

)";

// The BPF side of moduleBias(). From Linux 6.7 it walks the task's mappings
// for the one at file offset 0 of the file; before, it asks the dynamic
// linker, whose list of loaded objects (struct link_map: l_addr, l_name,
// l_ld, l_next) the program's DT_DEBUG entry points to, found through the
// auxiliary vector's AT_PHDR as a debugger finds it. Objects are told apart
// there by their dynamic section and their file name (or soname).
const char* const kModuleBiasHelper = R"(struct bpf_iter_task_vma { __u64 __opaque[1]; } __attribute__((aligned(8)));
extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym __weak;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __ksym __weak;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __ksym __weak;

struct tap_loader_walk {
	__u64 entry, name_hash, soname_hash, dynamic;
	__s64 bias;
};

static long tap_loader_step(__u64 index, void *ctx)
{
	struct tap_loader_walk *w = ctx;
	__u64 map[4];
	char name[128];
	__u64 h = 14695981039346656037ULL;
	if (!w->entry || bpf_probe_read_user(map, sizeof map, (void *)w->entry))
		return 1;
	w->entry = map[3];
	if (map[2] - map[0] != w->dynamic || bpf_probe_read_user_str(name, sizeof name, (void *)map[1]) <= 0)
		return 0;
	for (int i = 0; i < (int)sizeof name && name[i]; i++) /* the hash of the file name */
		h = name[i] == '/' ? 14695981039346656037ULL : (h ^ (unsigned char)name[i]) * 1099511628211ULL;
	if (h != w->name_hash && h != w->soname_hash)
		return 0;
	w->bias = (__s64)map[0];
	return 1;
}

/* The bias the dynamic linker loaded an object at, -1 when it has not. */
static __always_inline __s64 tap_loader_bias(struct task_struct *task, __u64 name_hash, __u64 soname_hash,
                                             __u64 dynamic, __u64 program)
{
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	__u64 pair[2], phdr = 0, phnum = 0, header[3], program_bias = 0, program_dynamic = 0, entry[2];
	struct tap_loader_walk w = {0, name_hash, soname_hash, dynamic, -1};
	int have_bias = 0;
	if (!mm)
		return -1;
	for (int i = 0; i < 32; i++) {
		/* saved_auxv's words; its BTF type is declared here as bytes. */
		if (bpf_probe_read_kernel(pair, sizeof pair, (char *)__builtin_preserve_access_index(&mm->saved_auxv) + 16 * i) ||
		    !pair[0])
			break;
		if (pair[0] == 3 /* AT_PHDR */)
			phdr = pair[1];
		else if (pair[0] == 5 /* AT_PHNUM */)
			phnum = pair[1];
	}
	for (int i = 0; i < 16 && i < phnum; i++) {
		if (bpf_probe_read_user(header, sizeof header, (void *)(phdr + i * 56))) /* p_type, p_flags; p_offset; p_vaddr */
			return -1;
		if ((__u32)header[0] == 6 /* PT_PHDR */)
			program_bias = phdr - header[2], have_bias = 1;
		else if ((__u32)header[0] == 2 /* PT_DYNAMIC */)
			program_dynamic = header[2];
	}
	if (!have_bias)
		return -1;
	if (program)
		return program_dynamic == dynamic ? (__s64)program_bias : -1;
	for (int i = 0; i < 64; i++) {
		if (bpf_probe_read_user(entry, sizeof entry, (void *)(program_bias + program_dynamic + i * 16)) || !entry[0])
			return -1;
		if (entry[0] == 21 /* DT_DEBUG: the linker's struct r_debug */) {
			if (!entry[1] || bpf_probe_read_user(&w.entry, 8, (void *)(entry[1] + 8) /* r_map */))
				return -1;
			break;
		}
	}
	bpf_loop(64, tap_loader_step, &w, 0);
	return w.bias;
}

/* The load bias of a file in the current process, -1 when it is not mapped. */
static __noinline __s64 tap_module_bias(__u64 name_hash, __u64 size, __u64 first_address, __u64 soname_hash,
                                        __u64 dynamic, __u64 program)
{
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;
	__s64 bias = -1;
	if (!bpf_iter_task_vma_new)
		return tap_loader_bias(bpf_get_current_task_btf(), name_hash, soname_hash, dynamic, program);
	bpf_iter_task_vma_new(&it, bpf_get_current_task_btf(), 0);
	while ((vma = bpf_iter_task_vma_next(&it))) {
		struct file *file = BPF_CORE_READ(vma, vm_file);
		if (!file || BPF_CORE_READ(vma, vm_pgoff) != 0 || BPF_CORE_READ(file, f_inode, i_size) != size)
			continue;
		if (tap_file_name_hash(file) == name_hash) {
			bias = (__s64)(BPF_CORE_READ(vma, vm_start) - first_address);
			break;
		}
	}
	bpf_iter_task_vma_destroy(&it);
	return bias;
}

)";

std::string Translator::moduleBias(const std::string& path, SourceLoc loc, const std::string& subject) {
    std::string problem;
    std::unique_ptr<elf::ElfBinary> elf = elf::ElfBinary::open(path, problem);
    std::optional<uint64_t> first = elf ? elf->addressOfFileOffset(0) : std::nullopt;
    struct stat st;
    if (!first || stat(path.c_str(), &st) != 0)
        error("cannot find where '" + path + "' is loaded: " + (problem.empty() ? "it has no segment at offset 0" : problem),
              loc);
    noteMappingTypes("reading another library's globals", loc);
    noteKernelMember(taskStructType(), "mm");
    noteKernelMember(kernelStructType("struct mm_struct", "reading another library's globals", loc), "saved_auxv");
    moduleBiasUsed_ = true;
    std::string name = path.substr(path.rfind('/') + 1);
    std::string bias = tempL();
    return "({ " + bias + " = tap_module_bias(" + std::to_string(mappedFileNameHash(path)) + "ULL, " +
           std::to_string(st.st_size) + "ULL, " + std::to_string(*first) + "ULL, " +
           std::to_string(elf->soname().empty() ? 0 : mappedFileNameHash(elf->soname())) + "ULL, " +
           std::to_string(elf->dynamicAddress().value_or(0)) + "ULL, " + (elf->hasInterpreter() ? "1" : "0") +
           "); if (" + bias + " == -1) " + fail("'" + name + "' is not loaded in this process", loc, subject) + " " +
           bias + "; })";
}

// A kernel struct type by name ("struct file"), for `purpose`.
int32_t Translator::kernelStructType(const char* type, const std::string& purpose, SourceLoc loc) {
    kernel::Btf* btf = kernel::Btf::vmlinux();
    int32_t id = btf ? btf->findType(type) : 0;
    if (id <= 0)
        error(purpose + " needs the kernel's " + type + " type (BTF)", loc);
    return btf->strip(id);
}

// The kernel types the mapping helpers read (kFileNameHash and its users).
void Translator::noteMappingTypes(const std::string& purpose, SourceLoc loc) {
    auto note = [&](const char* type, std::initializer_list<const char*> members) {
        for (const char* member : members)
            noteKernelMember(kernelStructType(type, purpose, loc), member);
    };
    // The helpers' kfuncs take a struct task_struct *, which libbpf
    // matches against the kernel's only when it is defined, not declared.
    noteKernelMember(taskStructType(), "tgid");
    note("struct vm_area_struct", {"vm_start", "vm_end", "vm_pgoff", "vm_file"});
    note("struct file", {"f_inode", "f_path"});
    note("struct inode", {"i_size"});
    note("struct path", {"dentry"});
    note("struct dentry", {"d_name"});
    note("struct qstr", {"name"});
    note("struct pt_regs", {"ip", "sp", "bp"});
    mappingHelpersUsed_ = true;
}

// A DWARF-described variable (or an SDT marker argument) at a uprobe.
std::string Translator::genUserTarget(const TargetExpr* t, const ContextVar& var) {
    if (!t->components.empty() && t->components.back().kind == TargetComponent::Pretty) {
        // $var$ / $p->member$: the value up to the last member, pretty-printed.
        TargetExpr value = *t;
        value.components.pop_back();
        value.type = Type::Long;
        int type = var.userType;
        for (const TargetComponent& c : value.components) {
            const UserType& ct = var.userTypes->at(type);
            if (c.kind == TargetComponent::Index)
                type = ct.target;
            else
                type = var.userTypes->at(ct.kind == UserType::Kind::Pointer ? ct.target : type).member(c.name)->type;
        }
        std::string fmt;
        std::vector<std::string> values;
        genUserPretty(genUserTarget(&value, var), *var.userTypes, type, 0, fmt, values, t->loc);
        return genSnprintf(fmt, values);
    }
    const std::string subject = "identifier '" + t->name + "'";
    if (!var.locationError.empty())
        error("cannot read '" + t->name + "' at this probe point: " + var.locationError, t->loc);
    const UserLocation& at = var.userLocation;
    std::string base = at.reg.empty() ? std::string("0") : userRegister(at.reg, t->loc);
    std::string where = "((__s64)" + base + " + " + std::to_string(at.offset) + "LL)";
    if (at.relocated && !at.module.empty()) {
        where = "(" + where + " + " + moduleBias(at.module, t->loc, subject) + ")";
    } else if (at.relocated) {
        // Link-time address + where the binary is loaded: the uprobe's ip
        // is the probed address.
        if (currentAttach_.isReturn)
            error("'" + t->name + "' is a static variable; read it in the entry probe (or with @entry)", t->loc);
        where = "(" + where + " + (__s64)(" + userRegister("ip", t->loc) + " - " +
                std::to_string(currentAttach_.address) + "ULL))";
    }
    const UserTypeTable& types = *var.userTypes;
    int type = var.userType;
    int64_t size = type >= 0 ? types.at(type).size : var.size;
    bool isSigned = type >= 0 ? types.at(type).isSigned : var.isSigned;
    bool aggregate = false;
    if (type >= 0) {
        UserType::Kind k = types.at(type).kind;
        aggregate = k == UserType::Kind::Struct || k == UserType::Kind::Union || k == UserType::Kind::Array;
        if (types.at(type).kind == UserType::Kind::Pointer)
            size = 8, isSigned = false;
    }
    std::string expr;
    switch (at.kind) {
    case UserLocation::Kind::Register:
    case UserLocation::Kind::Value: {
        if (aggregate)
            error("'" + t->name + "' is a struct held in registers, which cannot be read yet", t->loc);
        std::string v = at.kind == UserLocation::Kind::Register ? "((__s64)" + base + ")" : where;
        if (size == 8 || size <= 0)
            expr = v;
        else
            expr = std::string("((__s64)(") + (isSigned ? "__s" : "__u") + std::to_string(size * 8) + ")" + v + ")";
        if (t->addressOf && t->components.empty())
            error("cannot take the address of '" + t->name + "': it is in a register", t->loc);
        break;
    }
    case UserLocation::Kind::Memory:
        if (aggregate || (t->addressOf && t->components.empty()))
            expr = where; // an address, as in stap
        else
            expr = genUserRead(where, size, isSigned, t->loc, subject);
        break;
    case UserLocation::Kind::Pieces: {
        // A struct in registers: a member that one register holds whole.
        const TargetComponent* first = t->components.empty() ? nullptr : &t->components[0];
        const UserType::Member* m = first && first->kind == TargetComponent::Field && type >= 0
                                        ? types.at(type).member(first->name)
                                        : nullptr;
        int64_t start = 0;
        const UserLocation::Piece* piece = nullptr;
        for (const UserLocation::Piece& p : at.pieces) {
            if (m && m->offset >= start && m->offset + types.at(m->type).size <= start + p.size)
                piece = &p;
            if (piece)
                break;
            start += p.size;
        }
        if (!m || !piece || t->addressOf || m->bitSize)
            error("'" + t->name + "' is held in registers: only its members can be read (not its address)", t->loc);
        const UserType& mt = types.at(m->type);
        if (mt.kind == UserType::Kind::Struct || mt.kind == UserType::Kind::Union || mt.kind == UserType::Kind::Array)
            error("'" + t->name + "->" + m->name + "' is an aggregate held in registers, which cannot be read yet", t->loc);
        int64_t bytes = mt.kind == UserType::Kind::Pointer ? 8 : mt.size;
        std::string shifted = "(" + userRegister(piece->reg, t->loc) + " >> " + std::to_string(8 * (m->offset - start)) + ")";
        expr = bytes >= 8 ? "((__s64)" + shifted + ")"
                          : std::string("((__s64)(") + (mt.isSigned ? "__s" : "__u") + std::to_string(bytes * 8) + ")" +
                                shifted + ")";
        std::vector<TargetComponent> rest(t->components.begin() + 1, t->components.end());
        return rest.empty() ? expr : genUserMemberPath(expr, types, m->type, false, rest, t->addressOf);
    }
    case UserLocation::Kind::None:
        error("'" + t->name + "' has no location at this probe point", t->loc);
    }
    if (t->components.empty())
        return expr;
    if (type < 0)
        error("'" + t->name + "' has no type information (no DWARF)", t->loc);
    return genUserMemberPath(expr, types, type, aggregate, t->components, t->addressOf);
}

// ->member / [index] in user memory: offsets are the program's own (its
// DWARF), so no CO-RE relocation; every read may fault.
std::string Translator::genUserMemberPath(std::string expr, const UserTypeTable& types, int type, bool aggregate,
                                          const std::vector<TargetComponent>& components, bool addressOf) {
    for (size_t i = 0; i < components.size(); ++i) {
        const TargetComponent& c = components[i];
        bool last = i + 1 == components.size();
        if (c.kind == TargetComponent::Pretty)
            error("pretty-printing ($var$) cannot run in a kernel probe yet", c.loc);
        const UserType& t = types.at(type);
        int elementOrMember = -1;
        std::string address;
        if (c.kind == TargetComponent::Index) {
            int elem = t.target;
            if (elem < 0)
                error("'[...]' needs a typed pointer or an array", c.loc);
            int64_t stride = types.at(elem).size;
            address = "(" + expr + " + (" + genL(c.index) + ") * " + std::to_string(stride) + "LL)";
            elementOrMember = elem;
        } else {
            int st = t.kind == UserType::Kind::Pointer ? t.target : type;
            const UserType::Member* m = st >= 0 ? types.at(st).member(c.name) : nullptr;
            if (!m)
                error("unable to find member '" + c.name + "'", c.loc);
            if (m->bitSize)
                error("bit-field member '" + c.name + "' cannot be read yet", c.loc);
            address = "(" + expr + " + " + std::to_string(m->offset) + "LL)";
            elementOrMember = m->type;
        }
        const UserType& next = types.at(elementOrMember);
        aggregate = next.kind == UserType::Kind::Struct || next.kind == UserType::Kind::Union ||
                    next.kind == UserType::Kind::Array;
        if (aggregate || (last && addressOf))
            expr = address;
        else
            expr = genUserRead(address, next.kind == UserType::Kind::Pointer ? 8 : next.size, next.isSigned, c.loc,
                               "identifier '" + c.name + "'");
        type = elementOrMember;
    }
    return expr;
}

// A string formatted in the kernel: `fmt` (bpf_snprintf's directives, no
// "%%") with its values. bpf_snprintf takes 12 values, and the strings of
// one call share a 512-byte buffer (it fails when they do not fit): the
// format is cut into pieces of at most 12 values and one string each,
// formatted one by one and joined.
std::string Translator::genSnprintf(const std::string& fmt, const std::vector<std::string>& values) {
    std::vector<std::string> chunks(1);
    size_t inChunk = 0;
    bool chunkHasString = false;
    for (size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] == '%') {
            size_t conv = fmt.find_first_not_of("-+ #0123456789.l", i + 1);
            bool isString = conv != std::string::npos && fmt[conv] == 's';
            if (inChunk == 12 || (isString && chunkHasString)) {
                chunks.emplace_back();
                inChunk = 0;
                chunkHasString = false;
            }
            ++inChunk;
            chunkHasString = chunkHasString || isString;
        }
        chunks.back() += fmt[i];
    }
    std::string out = tempS();
    std::string code = "({ ";
    size_t next = 0;
    for (size_t c = 0; c < chunks.size(); ++c) {
        size_t n = size_t(std::count(chunks[c].begin(), chunks[c].end(), '%'));
        std::string fmtName = "tap_fmt_" + std::to_string(literals_++);
        rodata_ << "static const char " << fmtName << "[] = " << cString(chunks[c]) << ";\n";
        std::string into = c == 0 ? out : tempS();
        code += "{ __u64 __a[" + std::to_string(std::max<size_t>(n, 1)) + "]; ";
        for (size_t i = 0; i < n; ++i)
            code += "__a[" + std::to_string(i) + "] = (__u64)(" + values[next++] + "); ";
        code += "bpf_snprintf(" + into + ", TAP_STRLEN, " + fmtName + ", __a, " + std::to_string(n * 8) + "); ";
        if (c > 0) {
            std::string joined = tempS();
            code += "tap_strcat(" + joined + ", " + out + ", " + into + "); tap_strcpy(" + out + ", " + joined + "); ";
        }
        code += "} ";
    }
    return code + out + "; })";
}

// The pretty form of a value, as stap's $var$: numbers in decimal,
// pointers in hex, char pointers and arrays as quoted strings, a struct (or
// the struct a pointer points to, one level) as {.member=value, ...}.
// `expr` is the value, or the address for structs and arrays.
void Translator::genUserPretty(const std::string& expr, const UserTypeTable& types, int type, int depth,
                               std::string& fmt, std::vector<std::string>& values, SourceLoc loc) {
    if (type < 0) {
        fmt += "0x%llx";
        values.push_back(expr);
        return;
    }
    const UserType& t = types.at(type);
    auto isCharSequence = [&](int target) { return target >= 0 && types.at(target).isChar; };
    auto quoted = [&](const std::string& address) {
        std::string text = tempS();
        fmt += "\"%s\"";
        values.push_back("({ if (bpf_probe_read_user_str(" + text + ", TAP_STRLEN, (void *)(" + address + ")) < 0) { " +
                         text + "[0] = '?'; " + text + "[1] = 0; } " + text + "; })");
    };
    switch (t.kind) {
    case UserType::Kind::Base:
    case UserType::Kind::Enum:
        fmt += t.isSigned ? "%lld" : "%llu";
        values.push_back(expr);
        return;
    case UserType::Kind::Pointer:
        if (isCharSequence(t.target)) {
            quoted(expr);
        } else if (depth == 0 && t.target >= 0 &&
                   (types.at(t.target).kind == UserType::Kind::Struct || types.at(t.target).kind == UserType::Kind::Union)) {
            genUserPretty(expr, types, t.target, depth, fmt, values, loc);
        } else {
            fmt += "0x%llx";
            values.push_back(expr);
        }
        return;
    case UserType::Kind::Array:
        if (isCharSequence(t.target))
            quoted(expr);
        else
            fmt += "[...]";
        return;
    case UserType::Kind::Struct:
    case UserType::Kind::Union: {
        if (depth > 0) {
            fmt += "{...}";
            return;
        }
        fmt += "{";
        for (size_t i = 0; i < t.members.size(); ++i) {
            const UserType::Member& m = t.members[i];
            fmt += (i ? ", ." : ".") + m.name + "=";
            if (m.bitSize || m.type < 0) {
                fmt += "?";
                continue;
            }
            const UserType& mt = types.at(m.type);
            std::string address = "((__s64)(" + expr + ") + " + std::to_string(m.offset) + "LL)";
            bool aggregate = mt.kind == UserType::Kind::Struct || mt.kind == UserType::Kind::Union ||
                             mt.kind == UserType::Kind::Array;
            if (aggregate)
                genUserPretty(address, types, m.type, depth + 1, fmt, values, loc);
            else
                genUserPretty(genUserRead(address, mt.kind == UserType::Kind::Pointer ? 8 : mt.size, mt.isSigned, loc,
                                          "identifier '" + m.name + "'"),
                              types, m.type, depth + 1, fmt, values, loc);
        }
        fmt += "}";
        return;
    }
    default:
        fmt += "?";
    }
}

} // namespace tap::bpf::detail
