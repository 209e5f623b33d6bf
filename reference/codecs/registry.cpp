// SPDX-License-Identifier: Apache-2.0
#include "codecs/registry.h"

namespace qemud {

const std::vector<const Codec*>& all_codecs() {
    static const std::vector<std::unique_ptr<Codec>> owned = [] {
        std::vector<std::unique_ptr<Codec>> codecs;
        codecs.push_back(make_rpcgen_codec());
        codecs.push_back(make_cxx_codec());
        codecs.push_back(make_dynamic_codec());
        return codecs;
    }();
    static const std::vector<const Codec*> view = [] {
        std::vector<const Codec*> v;
        for (const auto& c : owned) v.push_back(c.get());
        return v;
    }();
    return view;
}

const Codec* find_codec(std::string_view name) {
    for (const Codec* c : all_codecs())
        if (c->name() == name) return c;
    return nullptr;
}

const Codec& reference_codec() { return *all_codecs().front(); }

}  // namespace qemud
