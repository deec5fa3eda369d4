package supervision

import "github.com/suixian-psb/credit/shared/domain"

// levelShortZH labels levels in tables, where the full name is too wide.
func levelShortZH(l domain.Level) string {
	switch l {
	case domain.LevelA:
		return "A级"
	case domain.LevelB:
		return "B级"
	case domain.LevelC:
		return "C级"
	}
	return "未定级"
}
