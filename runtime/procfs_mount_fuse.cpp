// ProcfsMount on libfuse 3's low-level API: one directory of regular files,
// inode 1 the directory and inode 2 + i the i-th file.
#define FUSE_USE_VERSION 35
#include "procfs_mount.h"

#include <fuse_lowlevel.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

namespace tap::rt {

namespace {

// The files never change while the session runs: the kernel may keep what
// it looked up for as long as it likes.
constexpr double kCacheSeconds = 3600;

// What one open() of a file read: its .read probes run at the first read, so
// that a reader sees one consistent text however it splits its reads.
struct OpenFile {
    std::optional<std::string> text;
};

} // namespace

struct ProcfsMount::State {
    std::string dir;
    bool madeDir = false;
    std::vector<std::pair<std::string, const ProcfsFile*>> entries;
    Read read;
    Write write;
    fuse_session* session = nullptr;
    fuse_buf buffer{};
    timespec mounted{};

    const ProcfsFile* file(fuse_ino_t ino) const {
        return ino >= 2 && ino - 2 < entries.size() ? entries[ino - 2].second : nullptr;
    }

    struct stat attributes(fuse_ino_t ino) const {
        struct stat st {};
        st.st_ino = ino;
        st.st_uid = geteuid();
        st.st_gid = getegid();
        st.st_atim = st.st_mtim = st.st_ctim = mounted;
        if (const ProcfsFile* f = file(ino)) {
            st.st_mode = S_IFREG | f->mode;
            st.st_nlink = 1;
        } else {
            st.st_mode = S_IFDIR | 0555;
            st.st_nlink = 2;
        }
        return st;
    }
};

namespace {

// The empty directories that killed sessions left (fusermount3 unmounted
// them, but only tstap removes them); rmdir leaves anything still mounted.
void removeDeadSessionDirs(const std::string& parent) {
    DIR* d = opendir(parent.c_str());
    if (!d) return;
    while (dirent* e = readdir(d)) {
        char* end = nullptr;
        long pid = std::strtol(e->d_name, &end, 10);
        if (pid > 0 && *end == '\0' && kill(pid_t(pid), 0) != 0 && errno == ESRCH)
            rmdir((parent + "/" + e->d_name).c_str());
    }
    closedir(d);
}

ProcfsMount::State& stateOf(fuse_req_t req) {
    return *static_cast<ProcfsMount::State*>(fuse_req_userdata(req));
}

void lookup(fuse_req_t req, fuse_ino_t parent, const char* name) {
    ProcfsMount::State& s = stateOf(req);
    if (parent == FUSE_ROOT_ID)
        for (size_t i = 0; i < s.entries.size(); ++i)
            if (s.entries[i].first == name) {
                fuse_entry_param entry{};
                entry.ino = 2 + i;
                entry.attr = s.attributes(entry.ino);
                entry.attr_timeout = entry.entry_timeout = kCacheSeconds;
                fuse_reply_entry(req, &entry);
                return;
            }
    fuse_reply_err(req, ENOENT);
}

void getattr(fuse_req_t req, fuse_ino_t ino, fuse_file_info*) {
    ProcfsMount::State& s = stateOf(req);
    if (ino != FUSE_ROOT_ID && !s.file(ino)) {
        fuse_reply_err(req, ENOENT);
        return;
    }
    struct stat st = s.attributes(ino);
    fuse_reply_attr(req, &st, kCacheSeconds);
}

// Only the truncation of open(O_TRUNC) is accepted: the files have no size.
void setattr(fuse_req_t req, fuse_ino_t ino, struct stat*, int toSet, fuse_file_info*) {
    ProcfsMount::State& s = stateOf(req);
    if (!s.file(ino) || (toSet & ~FUSE_SET_ATTR_SIZE)) {
        fuse_reply_err(req, EPERM);
        return;
    }
    struct stat st = s.attributes(ino);
    fuse_reply_attr(req, &st, kCacheSeconds);
}

void readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info*) {
    ProcfsMount::State& s = stateOf(req);
    if (ino != FUSE_ROOT_ID) {
        fuse_reply_err(req, ENOTDIR);
        return;
    }
    std::vector<std::pair<std::string, fuse_ino_t>> names = {{".", FUSE_ROOT_ID},
                                                             {"..", FUSE_ROOT_ID}};
    for (size_t i = 0; i < s.entries.size(); ++i)
        names.emplace_back(s.entries[i].first, 2 + i);
    std::string reply(size, '\0');
    size_t used = 0;
    for (size_t i = size_t(offset); i < names.size(); ++i) {
        struct stat st = s.attributes(names[i].second);
        size_t need = fuse_add_direntry(req, reply.data() + used, size - used,
                                        names[i].first.c_str(), &st, off_t(i + 1));
        if (need > size - used) break;
        used += need;
    }
    fuse_reply_buf(req, reply.data(), used);
}

void open(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
    ProcfsMount::State& s = stateOf(req);
    const ProcfsFile* f = s.file(ino);
    if (!f) {
        fuse_reply_err(req, ino == FUSE_ROOT_ID ? EISDIR : ENOENT);
        return;
    }
    // Root passes the permission bits: a file without the probe for an
    // access refuses it all the same.
    int access = fi->flags & O_ACCMODE;
    bool reads = access == O_RDONLY || access == O_RDWR,
         writes = access == O_WRONLY || access == O_RDWR;
    if ((reads && f->reads.empty()) || (writes && f->writes.empty())) {
        fuse_reply_err(req, EACCES);
        return;
    }
    fi->fh = reinterpret_cast<uint64_t>(new OpenFile);
    fi->direct_io = 1; // no page cache: every read reaches the probes' text
    if (fuse_reply_open(req, fi) != 0) delete reinterpret_cast<OpenFile*>(fi->fh);
}

void read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi) {
    ProcfsMount::State& s = stateOf(req);
    auto* open = reinterpret_cast<OpenFile*>(fi->fh);
    if (!open->text) open->text = s.read(*s.file(ino));
    const std::string& text = *open->text;
    size_t from = std::min(size_t(offset), text.size());
    fuse_reply_buf(req, text.data() + from, std::min(size, text.size() - from));
}

// Each write() runs the .write probes with what it wrote, as stap's.
void write(fuse_req_t req, fuse_ino_t ino, const char* data, size_t size, off_t, fuse_file_info*) {
    ProcfsMount::State& s = stateOf(req);
    s.write(*s.file(ino), std::string(data, size));
    fuse_reply_write(req, size);
}

void release(fuse_req_t req, fuse_ino_t, fuse_file_info* fi) {
    delete reinterpret_cast<OpenFile*>(fi->fh);
    fuse_reply_err(req, 0);
}

fuse_lowlevel_ops operations() {
    fuse_lowlevel_ops ops{};
    ops.lookup = lookup;
    ops.getattr = getattr;
    ops.setattr = setattr;
    ops.readdir = readdir;
    ops.open = open;
    ops.read = read;
    ops.write = write;
    ops.release = release;
    return ops;
}

} // namespace

ProcfsMount::ProcfsMount(std::unique_ptr<State> state) : state_(std::move(state)) {}

std::unique_ptr<ProcfsMount> ProcfsMount::mount(const std::string& dir, const ProcfsFiles& files,
                                                Read read, Write write, std::string& error) {
    auto fail = [&](const std::string& why) {
        error = "cannot mount the procfs files at '" + dir + "': " + why;
        return nullptr;
    };
    // libfuse's own message names no cause a user can act on. (Who may open
    // the device is fusermount3's business: it is set-user-ID root.)
    if (access("/dev/fuse", F_OK) != 0) return fail(std::string("/dev/fuse: ") + std::strerror(errno));

    auto state = std::make_unique<State>();
    state->dir = dir;
    state->read = std::move(read);
    state->write = std::move(write);
    for (const auto& [name, file] : files.files())
        state->entries.emplace_back(name, &file);
    clock_gettime(CLOCK_REALTIME, &state->mounted);

    struct stat st {};
    if (stat(dir.c_str(), &st) != 0) {
        // Only the default place has parents of ours to make.
        if (dir == defaultDir()) {
            std::string parent = dir.substr(0, dir.rfind('/'));
            ::mkdir(parent.substr(0, parent.rfind('/')).c_str(), 0755);
            ::mkdir(parent.c_str(), 0755);
            removeDeadSessionDirs(parent);
        }
        if (::mkdir(dir.c_str(), 0755) != 0) return fail(std::strerror(errno));
        state->madeDir = true;
    } else if (!S_ISDIR(st.st_mode)) {
        return fail("not a directory");
    }

    // default_permissions: the kernel checks the modes stap gives. Other
    // users reach the files only through allow_other, which only root may
    // ask for. auto_unmount: fusermount3 unmounts even when tstap is killed.
    std::string options = "fsname=tapstudio,subtype=tapstudio,default_permissions,auto_unmount";
    if (geteuid() == 0) options += ",allow_other";
    const char* argv[] = {"tstap", "-o", options.c_str()};
    fuse_args args = FUSE_ARGS_INIT(3, const_cast<char**>(argv));
    fuse_lowlevel_ops ops = operations();
    state->session = fuse_session_new(&args, &ops, sizeof ops, state.get());
    fuse_opt_free_args(&args);
    if (!state->session || fuse_session_mount(state->session, dir.c_str()) != 0) {
        if (state->session) fuse_session_destroy(state->session);
        if (state->madeDir) rmdir(dir.c_str());
        return fail("libfuse could not mount it (its message is above)");
    }
    return std::unique_ptr<ProcfsMount>(new ProcfsMount(std::move(state)));
}

ProcfsMount::~ProcfsMount() {
    fuse_session_unmount(state_->session);
    fuse_session_destroy(state_->session);
    free(state_->buffer.mem);
    if (state_->madeDir) rmdir(state_->dir.c_str());
}

const std::string& ProcfsMount::dir() const {
    return state_->dir;
}

int ProcfsMount::pollFd() const {
    return fuse_session_exited(state_->session) ? -1 : fuse_session_fd(state_->session);
}

void ProcfsMount::serve() {
    int received = fuse_session_receive_buf(state_->session, &state_->buffer);
    // EINTR and ENOENT (a request its caller gave up) are only a request
    // lost; anything else (ENODEV: unmounted) ends the file system.
    if (received == -EINTR || received == -ENOENT) return;
    if (received <= 0) {
        fuse_session_exit(state_->session);
        return;
    }
    fuse_session_process_buf(state_->session, &state_->buffer);
}

} // namespace tap::rt
