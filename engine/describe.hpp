#pragma once
// Plain English for decisions, for the simulator and for logs. The game does not show these: it
// formats the same reason codes and numbers with its own texts (content/data/texts).

#include "engine/progression.hpp"

#include <string>
#include <string_view>

namespace qv::engine {

/// One line a patient understands, e.g. "Your knee stayed calm two sessions in a row, so holds go
/// from 8 s to 10 s."
std::string describe(const Decision& decision);
/// The same for a squat decision ("... so depth goes from 30 to 35 degrees.").
std::string describe(const SquatDecision& decision);

/// Short stable name of a reason code ("calm_two_sessions"), as used for text keys.
std::string_view reason_name(Reason reason);
/// Short stable name of an action ("progress").
std::string_view action_name(Action action);
/// Short stable name of a variable ("hold").
std::string_view variable_name(Variable variable);

} // namespace qv::engine
