// netfilter.hook("HOOK").pf("PROTOCOL")[.priority("N")] (stapprobes
// "NETFILTER HOOKS"): a BPF netfilter program (BPF_PROG_TYPE_NETFILTER,
// Linux 6.4) registered at that hook, which sees every packet there and lets
// it pass. The kernel takes IPv4 and IPv6 hooks from BPF, not ARP or bridge
// ones. tapsets/netfilter.stp builds stap's netfilter.ip.* aliases on it.

#include "kernel/providers.h"

#include "kernel/btf.h"

#include <cstdlib>

namespace tap::kernel {

namespace {

struct Name {
    const char* name;
    int value;
};

// include/uapi/linux/netfilter.h and netfilter_{ipv4,ipv6,arp,bridge}.h.
const Name kProtocols[] = {
    {"NFPROTO_IPV4", 2}, {"PF_INET", 2},   {"NFPROTO_IPV6", 10},  {"PF_INET6", 10},
    {"NFPROTO_ARP", 3},  {"NFPROTO_BRIDGE", 7}, {"PF_BRIDGE", 7},
};
const Name kHooks[] = {
    {"NF_INET_PRE_ROUTING", 0}, {"NF_INET_LOCAL_IN", 1}, {"NF_INET_FORWARD", 2}, {"NF_INET_LOCAL_OUT", 3},
    {"NF_INET_POST_ROUTING", 4}, {"NF_IP_PRE_ROUTING", 0}, {"NF_IP_LOCAL_IN", 1}, {"NF_IP_FORWARD", 2},
    {"NF_IP_LOCAL_OUT", 3},      {"NF_IP_POST_ROUTING", 4}, {"NF_IP6_PRE_ROUTING", 0}, {"NF_IP6_LOCAL_IN", 1},
    {"NF_IP6_FORWARD", 2},       {"NF_IP6_LOCAL_OUT", 3},   {"NF_IP6_POST_ROUTING", 4}, {"NF_ARP_IN", 0},
    {"NF_ARP_OUT", 1},           {"NF_ARP_FORWARD", 2},     {"NF_BR_PRE_ROUTING", 0},   {"NF_BR_LOCAL_IN", 1},
    {"NF_BR_FORWARD", 2},        {"NF_BR_LOCAL_OUT", 3},    {"NF_BR_POST_ROUTING", 4},
};

// A name of the table or a number; nullopt for neither.
template <size_t N> std::optional<int> valueOf(const std::string& text, const Name (&names)[N]) {
    for (const Name& n : names)
        if (text == n.name)
            return n.value;
    char* end = nullptr;
    long v = std::strtol(text.c_str(), &end, 0);
    if (!text.empty() && end && !*end)
        return int(v);
    return std::nullopt;
}

const std::string& componentText(const ConcretePoint& point, const char* functor) {
    static const std::string none;
    for (const ConcreteComponent& c : point.components)
        if (c.functor == functor && c.string)
            return *c.string;
    return none;
}

class NetfilterProvider : public ProbeProvider {
public:
    std::string family() const override { return "netfilter"; }
    std::optional<std::string> leadingFunctor() const override { return "netfilter"; }
    std::vector<ProbePattern> patterns() const override {
        std::string doc = "when a packet passes netfilter hook HOOK of protocol family PF (BPF netfilter program)";
        return {{{{"netfilter", ArgKind::None}, {"hook", ArgKind::String}, {"pf", ArgKind::String}}, doc},
                {{{"netfilter", ArgKind::None}, {"pf", ArgKind::String}, {"hook", ArgKind::String}}, doc},
                {{{"netfilter", ArgKind::None}, {"hook", ArgKind::String}, {"pf", ArgKind::String},
                  {"priority", ArgKind::String}},
                 doc + ", at priority N"},
                {{{"netfilter", ArgKind::None}, {"pf", ArgKind::String}, {"hook", ArgKind::String},
                  {"priority", ArgKind::String}},
                 doc + ", at priority N"}};
    }
    std::string check(const ConcretePoint& point) const override {
        const std::string& hook = componentText(point, "hook");
        const std::string& pf = componentText(point, "pf");
        std::optional<int> h = valueOf(hook, kHooks), p = valueOf(pf, kProtocols);
        if (!h || *h < 0 || *h > 4)
            return "unknown netfilter hook '" + hook + "' (NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN, NF_INET_FORWARD, "
                   "NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING, or their NF_IP_/NF_IP6_/NF_ARP_/NF_BR_ names)";
        if (!p)
            return "unknown protocol family '" + pf + "' (NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_ARP, NFPROTO_BRIDGE)";
        if (*p != 2 && *p != 10)
            return "netfilter hooks of protocol family '" + pf + "' cannot run BPF programs: the kernel takes "
                   "IPv4 and IPv6 hooks (NFPROTO_IPV4, NFPROTO_IPV6) from BPF, not ARP or bridge ones";
        const std::string& priority = componentText(point, "priority");
        char* end = nullptr;
        long n = std::strtol(priority.c_str(), &end, 0);
        if (!priority.empty() && (!end || *end || n < -2147483647L || n > 2147483647L))
            return "netfilter priority '" + priority + "' is not a number";
        Btf* btf = Btf::vmlinux();
        if (!btf || !btf->findType("struct bpf_nf_ctx"))
            return "netfilter hooks run BPF programs from Linux 6.4 (BPF_PROG_TYPE_NETFILTER); this kernel " +
                   std::string(btf ? "is older" : "has no BTF to tell");
        return {};
    }
    std::vector<ContextVar> contextVariables(const ConcretePoint&) const override {
        std::vector<ContextVar> vars;
        Btf* btf = Btf::vmlinux();
        int32_t ctx = btf ? btf->strip(btf->findType("struct bpf_nf_ctx")) : 0;
        auto state = ctx ? btf->member(ctx, "state") : std::nullopt;
        auto skb = ctx ? btf->member(ctx, "skb") : std::nullopt;
        if (!state || !skb)
            return vars;
        // struct bpf_nf_ctx { const struct nf_hook_state *state; struct sk_buff *skb; }
        auto add = [&](const std::string& name, int arg, int32_t type, std::vector<std::string> path,
                       const std::string& cType) {
            ContextVar v;
            v.name = name;
            v.argIndex = arg;
            v.btfType = type;
            v.path = std::move(path);
            v.cType = cType;
            vars.push_back(v);
        };
        add("$skb", 1, skb->type, {}, "struct sk_buff *");
        add("$hooknum", 0, state->type, {"hook"}, "unsigned int");
        add("$pf", 0, state->type, {"pf"}, "u_int8_t");
        add("$in", 0, state->type, {"in"}, "struct net_device *");
        add("$out", 0, state->type, {"out"}, "struct net_device *");
        return vars;
    }
    ProbeSite site(const ConcretePoint&) const override { return ProbeSite::Kernel; }
    AttachSpec attach(const ConcretePoint& point) const override {
        AttachSpec a;
        a.kind = AttachSpec::Kind::Netfilter;
        a.netfilterHook = valueOf(componentText(point, "hook"), kHooks).value_or(0);
        a.netfilterFamily = valueOf(componentText(point, "pf"), kProtocols).value_or(0);
        const std::string& priority = componentText(point, "priority");
        // stap's default, 0 (NF_IP_PRI_FILTER): between the mangle and filter tables' own.
        a.netfilterPriority = priority.empty() ? 0 : int(std::strtol(priority.c_str(), nullptr, 0));
        return a;
    }
};

} // namespace

std::unique_ptr<ProbeProvider> makeNetfilterProvider() { return std::make_unique<NetfilterProvider>(); }

} // namespace tap::kernel
