// SPDX-License-Identifier: Apache-2.0
// stateful_commands.h: the commands of a --stateful sequence, one struct
// each (rc::state::Command). apply() is the model's rule for the command;
// run() makes the call and compares the reply with what the model, before
// the command, says a server must answer: a value or FAILURE, and the
// fields that the model knows (names, uuids, ids, states, counts, lists).
//
// The rules are those of docs/PEERS.md ("What the daemon models"), which
// are the 2007 daemon's: define makes a persistent stopped object, create a
// transient running one; start needs it stopped, suspend/resume/destroy
// need it active (by id for domains), undefine needs it stopped; destroying
// a transient object removes it; autostart is for persistent objects; a
// name is unique; ids are not reused.
#pragma once

#include <cstddef>
#include <ostream>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "stateful_model.h"
#include "stateful_sut.h"

namespace qemud::peers::stateful {

using Command = rc::state::Command<StatefulModel, StatefulSut>;

struct DomainCommand : Command {
    std::size_t slot = *rc::gen::inRange<std::size_t>(0, domain_slots);
};
struct NetworkCommand : Command {
    std::size_t slot = *rc::gen::inRange<std::size_t>(0, network_slots);
};

// Commands that name a domain by uuid need a uuid from an earlier reply;
// by id, an id. Their checkPreconditions say so.
struct DomainByUuid : DomainCommand {
    void checkPreconditions(const StatefulModel& m) const override;
};
struct DomainById : DomainCommand {
    void checkPreconditions(const StatefulModel& m) const override;
};
struct NetworkByUuid : NetworkCommand {
    void checkPreconditions(const StatefulModel& m) const override;
};

#define QEMUD_STATEFUL_COMMAND(Name, Base)                                  \
    struct Name : Base {                                                    \
        void apply(StatefulModel& m) const override;                        \
        void run(const StatefulModel& m, StatefulSut& sut) const override;  \
        void show(std::ostream& os) const override;                         \
    }

QEMUD_STATEFUL_COMMAND(DefineDomain, DomainCommand);
QEMUD_STATEFUL_COMMAND(CreateDomain, DomainCommand);
QEMUD_STATEFUL_COMMAND(StartDomain, DomainByUuid);
QEMUD_STATEFUL_COMMAND(SuspendDomain, DomainById);
QEMUD_STATEFUL_COMMAND(ResumeDomain, DomainById);
QEMUD_STATEFUL_COMMAND(DestroyDomain, DomainById);
QEMUD_STATEFUL_COMMAND(UndefineDomain, DomainByUuid);
QEMUD_STATEFUL_COMMAND(LookupDomainByName, DomainCommand);
QEMUD_STATEFUL_COMMAND(LookupDomainByUuid, DomainByUuid);
QEMUD_STATEFUL_COMMAND(LookupDomainById, DomainById);
QEMUD_STATEFUL_COMMAND(DomainInfo, DomainByUuid);
QEMUD_STATEFUL_COMMAND(DomainGetAutostart, DomainByUuid);
QEMUD_STATEFUL_COMMAND(ListDomains, Command);

QEMUD_STATEFUL_COMMAND(DefineNetwork, NetworkCommand);
QEMUD_STATEFUL_COMMAND(CreateNetwork, NetworkCommand);
QEMUD_STATEFUL_COMMAND(StartNetwork, NetworkByUuid);
QEMUD_STATEFUL_COMMAND(DestroyNetwork, NetworkByUuid);
QEMUD_STATEFUL_COMMAND(UndefineNetwork, NetworkByUuid);
QEMUD_STATEFUL_COMMAND(LookupNetworkByName, NetworkCommand);
QEMUD_STATEFUL_COMMAND(LookupNetworkByUuid, NetworkByUuid);
QEMUD_STATEFUL_COMMAND(NetworkGetAutostart, NetworkByUuid);
QEMUD_STATEFUL_COMMAND(ListNetworks, Command);

#undef QEMUD_STATEFUL_COMMAND

// The autostart setters carry the value they set.
struct DomainSetAutostart : DomainByUuid {
    bool value = *rc::gen::arbitrary<bool>();
    void apply(StatefulModel& m) const override;
    void run(const StatefulModel& m, StatefulSut& sut) const override;
    void show(std::ostream& os) const override;
};
struct NetworkSetAutostart : NetworkByUuid {
    bool value = *rc::gen::arbitrary<bool>();
    void apply(StatefulModel& m) const override;
    void run(const StatefulModel& m, StatefulSut& sut) const override;
    void show(std::ostream& os) const override;
};

}  // namespace qemud::peers::stateful
